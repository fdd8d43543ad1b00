/**
 * One shared Redis connection per URL and process, opened on first use. Connection
 * errors are reported once per outage instead of once per reconnect attempt.
 */
import { createClient } from 'redis';
import { logger } from './logger.ts';

export type RedisClient = ReturnType<typeof createClient>;

const clients = new Map<string, Promise<RedisClient>>();

export function sharedRedis(url: string): Promise<RedisClient> {
  let client = clients.get(url);
  if (!client) {
    client = connect(url);
    clients.set(url, client);
    client.catch(() => clients.delete(url));
  }
  return client;
}

/** A dedicated connection (blocking reads and subscriptions need their own). */
export async function connect(url: string): Promise<RedisClient> {
  const client = createClient({
    url,
    // While disconnected, commands fail at once instead of queueing: callers decide (fail open).
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(retries * 100, 2000) },
  });
  let reported = false;
  client.on('error', (error: Error) => {
    if (!reported) logger.warn('redis connection problem', { error: error.message });
    reported = true;
  });
  client.on('ready', () => {
    reported = false;
  });
  await client.connect();
  return client;
}

/**
 * Runs commands on the shared connection, failing after timeoutMs: a Redis that is down or
 * still connecting must slow nothing on the request path by more than that.
 */
export async function withRedis<T>(url: string, run: (client: RedisClient) => Promise<T>, timeoutMs = 1000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([sharedRedis(url).then(run), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes every shared connection (tests and shutdown). */
export async function closeSharedRedis(): Promise<void> {
  const open = [...clients.values()];
  clients.clear();
  await Promise.allSettled(open.map(async (client) => (await client).close()));
}
