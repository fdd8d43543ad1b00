/**
 * Readiness: whether a service can serve right now (its schema is loaded, the shared
 * stores it was configured with answer). Each check is bounded in time, so /ready answers
 * promptly even when a dependency hangs; reasons are short fixed texts, never a connection
 * string or a driver's error message.
 */
import { createClient } from 'redis';
import { logger } from './logger.ts';

/** Resolves with nothing when ready, or with the reason it is not. */
export type ReadinessCheck = () => Promise<string | undefined>;

export interface Readiness {
  readonly ready: boolean;
  /** `ok` or the reason, per check. */
  readonly checks: Readonly<Record<string, string>>;
}

export class ReadinessChecks {
  readonly #checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): void {
    this.#checks.set(name, check);
  }

  async evaluate(timeoutMs = 2000): Promise<Readiness> {
    const results = await Promise.all([...this.#checks].map(async ([name, check]) => [name, await bounded(name, check, timeoutMs)] as const));
    return { ready: results.every(([, reason]) => reason === undefined), checks: Object.fromEntries(results.map(([name, reason]) => [name, reason ?? 'ok'])) };
  }
}

async function bounded(name: string, check: ReadinessCheck, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`${name} did not answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      check().catch((error: unknown) => {
        logger.warn('readiness check failed', { check: name, err: error });
        return `${name} is unreachable`;
      }),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ready while Redis answers PING on a fresh connection. Not the shared one (redis.ts): that
 * one keeps reconnecting in the background by design, and a probe must only ask "now?".
 */
export function redisReachable(url: string): ReadinessCheck {
  return async () => {
    const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
    client.on('error', () => undefined); // the failed connect rejects; this only stops the event being unhandled
    try {
      await client.connect();
      await client.ping();
      return undefined;
    } finally {
      client.destroy();
    }
  };
}
