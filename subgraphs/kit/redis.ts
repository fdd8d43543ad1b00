/**
 * The one way this project talks to Redis. Every client comes from `createRedisClient`,
 * which sets once what a Redis outage must never cost a request: no offline queue (a
 * command while disconnected fails at once instead of waiting), a short command timeout
 * (a Redis that accepts connections but does not answer fails the command, not the
 * request), a short connect timeout and reconnection for ever with capped backoff.
 *
 * Callers on the request path use `withRedis` on the shared client of their URL and decide
 * what a failure means (a cache miss, a limit that lets the request through, a publication
 * kept for later); they never wait for Redis beyond the command timeout.
 */
import { createClient } from 'redis';
import { logger } from './logger.ts';

export type RedisClient = ReturnType<typeof createClient>;

/** How long one command may take before it fails (blocking reads set their own). */
export const REDIS_COMMAND_TIMEOUT_MS = 200;
const CONNECT_TIMEOUT_MS = 1000;
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
    commandOptions: { timeout: REDIS_COMMAND_TIMEOUT_MS },
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

const shared = new Map<string, { client: RedisClient; createdAt: number }>();

/** The shared client of a URL in this process (made on first use). */
export function sharedRedis(url: string): RedisClient {
  let entry = shared.get(url);
  if (!entry) {
    entry = { client: createRedisClient(url, { name: 'shared' }), createdAt: Date.now() };
    shared.set(url, entry);
  }
  return entry.client;
}

/**
 * Runs commands on the shared client of a URL. Fails at once with RedisUnavailableError
 * while Redis is unreachable (after a short grace for the first connection of a process),
 * and with the command timeout when Redis does not answer.
 */
export async function withRedis<T>(url: string, run: (client: RedisClient) => Promise<T>): Promise<T> {
  const client = sharedRedis(url);
  if (!client.isReady) await firstConnection(client, shared.get(url)!.createdAt);
  return run(client);
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
