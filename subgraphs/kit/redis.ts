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
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(retries * 100, 2000) } });
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

/** Closes every shared connection (tests and shutdown). */
export async function closeSharedRedis(): Promise<void> {
  const open = [...clients.values()];
  clients.clear();
  await Promise.allSettled(open.map(async (client) => (await client).close()));
}
