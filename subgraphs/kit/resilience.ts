/**
 * The failure-handling half of an upstream call, built on cockatiel:
 * circuit breaker -> outbound quota -> retry (idempotent calls only, exponential backoff
 * with jitter, Retry-After honoured) -> timeout. One instance per upstream API.
 */
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  type IRetryBackoffContext,
} from 'cockatiel';
import type { UpstreamPolicy } from '../../config/upstream-policy.ts';
import type { OutboundQuota } from './quota.ts';
import { UpstreamError } from './upstream-error.ts';

import type { BreakerState } from '../../kit/health.ts';

export type { BreakerState } from '../../kit/health.ts';

/** Why an answer is going to be late: an attempt failed (and may be retried), or the quota makes it wait. */
export type Delay = UpstreamError | 'quota';

export interface ExecuteOptions {
  idempotent: boolean;
  /** Told each time the call is held up; the call itself goes on. */
  onDelayed?: ((delay: Delay) => void) | undefined;
}

export interface Resilience {
  /** Runs one logical upstream call through breaker, quota, retry and timeout. */
  execute<T>(call: (signal: AbortSignal) => Promise<T>, options: ExecuteOptions): Promise<T>;
  breakerState(): BreakerState;
  /** Closes an open circuit at once (a health probe saw the upstream answer again). */
  closeCircuit(): void;
  onBreakerChange(listener: (state: BreakerState) => void): void;
}

export function createResilience(api: string, policy: UpstreamPolicy, quota?: OutboundQuota): Resilience {
  const tripsBreaker = (error: Error) => error instanceof TaskCancelledError || (error instanceof UpstreamError && error.tripsBreaker);
  const breaker = circuitBreaker(handleWhen(tripsBreaker), {
    halfOpenAfter: policy.breakerHalfOpenAfterMs,
    breaker: new ConsecutiveBreaker(policy.breakerFailures),
  });
  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>((context) => {
    const exponential = Math.min(policy.retryMaxDelayMs, policy.retryInitialDelayMs * 2 ** (context.attempt - 1));
    // Half jitter: spreads retries of many callers without ever retrying at once.
    const jittered = exponential / 2 + Math.random() * (exponential / 2);
    const error = 'error' in context.result ? context.result.error : undefined;
    const retryAfter = error instanceof UpstreamError ? error.retryAfterMs : undefined;
    return retryAfter === undefined ? jittered : Math.max(jittered, retryAfter);
  });
  const retrying = retry(
    // A Retry-After beyond our longest backoff is not worth the wait: give up (and serve stale) at once.
    handleWhen(
      (error) =>
        error instanceof TaskCancelledError ||
        (error instanceof UpstreamError && error.retryable && !((error.retryAfterMs ?? 0) > policy.retryMaxDelayMs)),
    ),
    { maxAttempts: policy.retryAttempts - 1, backoff },
  );
  const limit = timeout(policy.timeoutMs, TimeoutStrategy.Aggressive);

  // The quota wait is outside the timeout: waiting for our own budget is not the upstream being slow.
  const attempt = async <T>(call: (signal: AbortSignal) => Promise<T>, onDelayed: ExecuteOptions['onDelayed']) => {
    await quota?.acquire(onDelayed && (() => onDelayed('quota')));
    try {
      return await limit.execute(({ signal }) => call(signal));
    } catch (error) {
      onDelayed?.(asUpstreamError(error));
      throw error;
    }
  };
  const asUpstreamError = (error: unknown) =>
    error instanceof UpstreamError ? error : error instanceof TaskCancelledError ? new UpstreamError(api, 'timeout', `no answer within ${policy.timeoutMs} ms`) : new UpstreamError(api, 'server_error', String(error));

  const listeners: ((state: BreakerState) => void)[] = [];
  breaker.onStateChange((state) => {
    for (const listener of listeners) listener(toBreakerState(state));
  });

  return {
    async execute(call, { idempotent, onDelayed }) {
      try {
        return await breaker.execute(() => (idempotent ? retrying.execute(() => attempt(call, onDelayed)) : attempt(call, onDelayed)));
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          const open = new UpstreamError(api, 'unavailable', 'circuit open');
          onDelayed?.(open);
          throw open;
        }
        if (error instanceof TaskCancelledError) throw new UpstreamError(api, 'timeout', `no answer within ${policy.timeoutMs} ms`);
        throw error;
      }
    },
    breakerState: () => toBreakerState(breaker.state),
    closeCircuit() {
      // cockatiel closes a circuit when its last isolation is released.
      if (breaker.state !== CircuitState.Closed) breaker.isolate().dispose();
    },
    onBreakerChange: (listener) => void listeners.push(listener),
  };
}

function toBreakerState(state: CircuitState): BreakerState {
  if (state === CircuitState.Open || state === CircuitState.Isolated) return 'open';
  if (state === CircuitState.HalfOpen) return 'half-open';
  return 'closed';
}
