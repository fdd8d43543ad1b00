/**
 * Publish/subscribe between processes: Redis channels with REDIS_URL, otherwise an
 * in-process bus (enough when `npm start` runs every service in one process). Channel names
 * carry the key prefix so deployments (and test stacks) sharing a Redis stay apart.
 */
import { EventEmitter } from 'node:events';
import { logger } from './logger.ts';
import { connect, withRedis, type RedisClient } from './redis.ts';

export interface PubSub {
  publish(channel: string, message: unknown): Promise<void>;
  /** Starts listening; resolves once the subscription is live. Returns the way to stop. */
  subscribe(channel: string, listener: (message: unknown) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const localBus = new EventEmitter().setMaxListeners(0);

export function createPubSub(options: { redisUrl?: string | undefined; keyPrefix: string }): PubSub {
  const name = (channel: string) => `${options.keyPrefix}${channel}`;
  return options.redisUrl ? redisPubSub(options.redisUrl, name) : localPubSub(name);
}

function localPubSub(name: (channel: string) => string): PubSub {
  const stops = new Set<() => void>();
  return {
    async publish(channel, message) {
      // Each listener gets its own copy, as it would over the wire.
      localBus.emit(name(channel), JSON.stringify(message));
    },
    async subscribe(channel, listener) {
      const handler = (raw: string) => listener(JSON.parse(raw));
      localBus.on(name(channel), handler);
      const stop = () => void localBus.off(name(channel), handler);
      stops.add(stop);
      return async () => {
        stop();
        stops.delete(stop);
      };
    },
    async close() {
      for (const stop of stops) stop();
      stops.clear();
    },
  };
}

function redisPubSub(url: string, name: (channel: string) => string): PubSub {
  // Subscribing takes a connection over; it is opened on first subscribe.
  let subscriber: Promise<RedisClient> | undefined;
  return {
    async publish(channel, message) {
      await withRedis(url, (redis) => redis.publish(name(channel), JSON.stringify(message)));
    },
    async subscribe(channel, listener) {
      subscriber ??= connect(url);
      const client = await subscriber;
      const handler = (raw: string) => {
        try {
          listener(JSON.parse(raw));
        } catch (error) {
          logger.warn('pub/sub message dropped', { channel, error: (error as Error).message });
        }
      };
      await client.subscribe(name(channel), handler);
      return async () => {
        await client.unsubscribe(name(channel), handler).catch(() => undefined);
      };
    },
    async close() {
      const client = subscriber;
      subscriber = undefined;
      if (client) await (await client).close().catch(() => undefined);
    },
  };
}
