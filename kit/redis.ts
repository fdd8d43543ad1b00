/**
 * The one way this project talks to Redis. Every client comes from `createRedisClient`,
 * which sets once what a Redis outage must never cost a request: no offline queue (a
 * command while disconnected fails at once instead of waiting), a short connect timeout and
 * reconnection for ever with capped backoff. A Redis that hangs (connected, never
 * answering) is met by a `RedisGate` around each client: a call without an answer within
 * the command timeout fails, and the gate then fails calls at once for a moment before
 * trying again, so a hung Redis costs a request at most one timeout and piles nothing up.
 * (node-redis's own command timeout only covers commands not yet written to the socket.)
 *
 * Callers on the request path use `withRedis` on the shared client of their URL and decide
 * what a failure means (a cache miss, a limit that lets the request through, a publication
 * kept for later).
 */
import { createClient } from 'redis';
import { logger } from './logger.ts';

export type RedisClient = ReturnType<typeof createClient>;

/** How long one call may wait for its answer before it fails (blocking reads set their own). */
export const REDIS_COMMAND_TIMEOUT_MS = 200;
/** After a call without an answer, calls fail at once this long before one is tried again. */
const SUSPEND_AFTER_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 1000;
/** How many times a late timer (a busy process) gives the answer its time again. */
const MAX_REARMS = 3;
/** Right after start, commands wait this long for the first connection instead of failing. */
const FIRST_CONNECTION_GRACE_MS = 1000;

/** Thrown when Redis cannot take a command now; callers fall back at once. */
export class RedisUnavailableError extends Error {
  constructor(message = 'Redis is not reachable') {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

export interface RedisClientOptions {
  /** Names the connection in logs. */
  name: string;
}

/** A new client with the project's outage behaviour, connecting in the background. */
export function createRedisClient(url: string, { name }: RedisClientOptions): RedisClient {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Capped, jittered backoff: replicas that lost Redis together do not return together.
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2000) * (0.5 + Math.random() / 2),
    },
  });
  let reported = false;
  client.on('error', (error: Error) => {
    if (!reported) logger.warn('redis connection problem', { connection: name, error: error.message });
    reported = true;
  });
  client.on('ready', () => {
    if (reported) logger.info('redis connection back', { connection: name });
    reported = false;
  });
  client.connect().catch(() => undefined); // reconnects by itself; errors are reported above
  return client;
}

/**
 * Calls on one client, each bounded by a timeout. Fails at once while the client is not
 * connected (after a short grace for its first connection) and for a moment after a call
 * went unanswered.
 */
export class RedisGate {
  readonly client: RedisClient;
  readonly #createdAt = Date.now();
  #suspendedUntil = 0;

  constructor(client: RedisClient) {
    this.client = client;
  }

  async run<T>(call: (client: RedisClient) => Promise<T>, timeoutMs = REDIS_COMMAND_TIMEOUT_MS): Promise<T> {
    if (Date.now() < this.#suspendedUntil) throw new RedisUnavailableError('Redis did not answer a moment ago');
    if (!this.client.isReady) await firstConnection(this.client, this.#createdAt);
    let timer: NodeJS.Timeout | undefined;
    let answered = false;
    const unanswered = new Promise<never>((_, reject) => {
      let due = Date.now() + timeoutMs;
      let rearmed = 0;
      const expire = () => {
        // The timer fired late: this process was busy (a long task, a GC pause), not Redis.
        // Give the answer the time it was owed, a few times at most.
        if (Date.now() - due > timeoutMs && rearmed < MAX_REARMS) {
          rearmed += 1;
          due = Date.now() + timeoutMs;
          timer = setTimeout(expire, timeoutMs);
          return;
        }
        // After the I/O of this turn: an answer already on the socket wins the race.
        setImmediate(() => {
          if (answered) return;
          this.#suspendedUntil = Date.now() + SUSPEND_AFTER_TIMEOUT_MS;
          reject(new RedisUnavailableError(`Redis did not answer within ${timeoutMs} ms`));
        });
      };
      timer = setTimeout(expire, timeoutMs);
    });
    const answer = call(this.client);
    // Settled either way, the verdict above stands down (an answer after it is nobody's concern).
    const settle = () => {
      answered = true;
    };
    answer.then(settle, settle);
    try {
      return await Promise.race([answer, unanswered]);
    } finally {
      clearTimeout(timer);
    }
  }
}

const shared = new Map<string, RedisGate>();

/** The gate of the shared client of a URL in this process (made on first use). */
function sharedGate(url: string): RedisGate {
  let gate = shared.get(url);
  if (!gate) {
    gate = new RedisGate(createRedisClient(url, { name: 'shared' }));
    shared.set(url, gate);
  }
  return gate;
}

/** The shared client of a URL in this process (made on first use). */
export function sharedRedis(url: string): RedisClient {
  return sharedGate(url).client;
}

/**
 * Runs commands on the shared client of a URL, through its gate: RedisUnavailableError at
 * once while Redis is unreachable, or after the command timeout when it does not answer.
 */
export function withRedis<T>(url: string, run: (client: RedisClient) => Promise<T>): Promise<T> {
  return sharedGate(url).run(run);
}

/** Waits for the first connection of a new client, within the grace period; then fails fast. */
async function firstConnection(client: RedisClient, createdAt: number): Promise<void> {
  const left = createdAt + FIRST_CONNECTION_GRACE_MS - Date.now();
  if (left <= 0) throw new RedisUnavailableError();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', ready);
      reject(new RedisUnavailableError());
    }, left);
    const ready = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', ready);
  });
}

/** Closes a client whatever its state. */
export function destroyRedis(client: RedisClient): void {
  try {
    client.destroy();
  } catch {
    // Already closed.
  }
}

/** Closes every shared connection (tests and shutdown). */
export async function closeSharedRedis(): Promise<void> {
  const open = [...shared.values()];
  shared.clear();
  for (const { client } of open) destroyRedis(client);
}

/**
 * Ready while Redis answers PING on a fresh connection. Not a shared one: that
 * one keeps reconnecting in the background by design, and a probe must only ask "now?".
 */
export function redisReachable(url: string): () => Promise<undefined> {
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
