/**
 * Runs one widget's operation and refreshes it on the widget's own interval, so that a
 * failing widget never holds up another. Keeps the last good answer when a refresh fails:
 * the widget then shows it as stale ("data may be out of date since ...").
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { RequestFailed, runOperation, type GraphQLErrorBody, type Operation } from '../shared/persisted-operation.ts';

export interface OperationState<T> {
  /** idle: skipped (waiting for input); loading: nothing yet; ready: the last attempt succeeded; failed: it did not. */
  readonly status: 'idle' | 'loading' | 'ready' | 'failed';
  /** The last good answer (kept through failed refreshes). */
  readonly data: T | undefined;
  /** Field errors of the last good answer (partial data). */
  readonly fieldErrors: readonly GraphQLErrorBody[];
  /** When the last good answer arrived. */
  readonly updatedAt: Date | undefined;
  /** When the last good answer was asked for (what it can know of starts there). */
  readonly askedAt: Date | undefined;
  /** Why the last attempt failed. */
  readonly failure: { readonly message: string; readonly code: string } | undefined;
  /** Runs the operation now (a refresh button, an alert that changes what it shows). */
  refresh(): void;
}

export interface OperationOptions<T> {
  readonly token: string;
  /** 0: only when asked (on demand, as a check that runs a mutation). */
  readonly refreshMs: number;
  /** The answer's main value: when it is missing the attempt failed (say, the upstream is down). */
  readonly required: (data: T) => unknown;
  /** Don't run (the role may not see this widget, or it waits for input). */
  readonly skip?: boolean;
}

type Attempt<T> = Omit<OperationState<T>, 'refresh'>;
const INITIAL: Attempt<never> = { status: 'loading', data: undefined, fieldErrors: [], updatedAt: undefined, askedAt: undefined, failure: undefined };

export function useOperation<T>(operation: Operation, variables: Record<string, unknown>, options: OperationOptions<T>): OperationState<T> {
  const { token, refreshMs, required, skip = false } = options;
  const [attempt, setAttempt] = useState<Attempt<T>>(INITIAL);
  const [runs, setRuns] = useState(0);
  const requiredRef = useRef(required);
  requiredRef.current = required;
  const key = JSON.stringify(variables);

  // New variables or a new token: what was shown belongs to another question.
  useEffect(() => setAttempt(INITIAL), [key, token, operation]);

  useEffect(() => {
    if (skip) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const askedAt = new Date();
    runOperation<T>(operation, JSON.parse(key) as Record<string, unknown>, token, abort.signal)
      .then((result) => {
        if (abort.signal.aborted) return;
        const main = result.data ? requiredRef.current(result.data) : undefined;
        if (result.data && main != null) {
          setAttempt({ status: 'ready', data: result.data, fieldErrors: result.errors, updatedAt: new Date(), askedAt, failure: undefined });
        } else {
          const first = result.errors[0];
          failed(first?.message ?? 'No data in the answer.', first?.extensions?.code ?? 'NO_DATA');
        }
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        if (error instanceof RequestFailed) failed(error.message, error.code);
        else failed(error instanceof Error ? error.message : String(error), 'CLIENT_ERROR');
      })
      .finally(() => {
        // The next refresh counts from the end of this one, so a slow answer never overlaps the next.
        if (!abort.signal.aborted && refreshMs > 0) timer = setTimeout(() => setRuns((n) => n + 1), refreshMs);
      });
    function failed(message: string, code: string) {
      if (abort.signal.aborted) return;
      setAttempt((previous) => ({ ...previous, status: 'failed', failure: { message, code } }));
    }
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [operation, key, token, refreshMs, skip, runs]);

  const refresh = useCallback(() => setRuns((n) => n + 1), []);
  return { ...(skip && attempt.status === 'loading' ? { ...attempt, status: 'idle' as const } : attempt), refresh };
}
