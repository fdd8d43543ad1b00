/**
 * Publish/subscribe between processes: with REDIS_URL a capped Redis Stream per channel,
 * otherwise an in-process bus (enough when `npm start` runs every service in one process).
 * Keys carry the key prefix so deployments (and test stacks) sharing a Redis stay apart.
 *
 * A stream rather than Redis channels: a subscriber that lost its connection for a while
 * reads on from where it was, so nothing published meanwhile is missed. Subscribers in the
 * publishing process hear a message at once over the in-process bus, whatever Redis's
 * state, and skip its copy in the stream. A publication Redis could not take is kept (in
 * order, bounded) and added when Redis is back, so other processes hear it late rather
 * than never; `stillNews` lets the publisher drop it then if another replica published the
 * same news meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { logger } from './logger.ts';
import { createRedisClient, destroyRedis, RedisGate, sharedRedis, withRedis, type RedisClient } from './redis.ts';

export interface PublishOptions {
  /** Asked before a publication held back by a Redis outage goes out late; false drops it. Throwing asks again later. */
  stillNews?: () => Promise<boolean>;
}

export interface PubSub {
  /** Delivers to this process's subscribers now and to other processes through Redis (late, if it is down). */
  publish(channel: string, message: unknown, options?: PublishOptions): Promise<void>;
  /** Starts listening. Returns the way to stop. */
  subscribe(channel: string, listener: (message: unknown) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Marks this process's own publications, which its subscribers already heard locally. */
const ORIGIN = randomUUID();
const localBus = new EventEmitter().setMaxListeners(0);
/** Most publications kept while Redis is away; beyond, the oldest are dropped (and logged). */
const MAX_HELD = 1000;
const RETRY_MS = 500;
/** Entries a channel's stream keeps (about): plenty for any subscriber's reconnection. */
const KEPT = 1000;
/** How long one stream read blocks. */
const BLOCK_MS = 1000;
/** How long a new subscriber waits for Redis to find where to start reading (it reads on once Redis is back). */
const SUBSCRIBE_WAIT_MS = 2000;
const FIELD = 'message';

interface Envelope {
  origin: string;
  message: unknown;
}

export function createPubSub(options: { redisUrl?: string | undefined; keyPrefix: string }): PubSub {
  const name = (channel: string) => `${options.keyPrefix}${channel}`;
  const local = localPubSub(name);
  return options.redisUrl ? redisPubSub(options.redisUrl, name, local) : local;
}

function localPubSub(name: (channel: string) => string): PubSub {
  const stops = new Set<() => void>();
  return {
    async publish(channel, message) {
      // Each listener gets its own copy, as it would over the wire.
      localBus.emit(name(channel), JSON.stringify(message));
    },
    async subscribe(channel, listener) {
      const handler = (raw: string) => deliver(listener, raw, channel);
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

function redisPubSub(url: string, name: (channel: string) => string, local: PubSub): PubSub {
  const held: { channel: string; message: unknown; stillNews: PublishOptions['stillNews'] }[] = [];
  let retry: NodeJS.Timeout | undefined;
  let flushing = false;
  let closed = false;
  // Blocking reads take a connection of their own, opened on first subscribe.
  let reader: RedisClient | undefined;
  const readers: Promise<void>[] = [];

  const send = (channel: string, message: unknown) =>
    withRedis(url, (redis) =>
      redis.xAdd(name(channel), '*', { [FIELD]: JSON.stringify({ origin: ORIGIN, message } satisfies Envelope) }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: KEPT } }),
    );

  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    try {
      while (held.length > 0) {
        const next = held[0]!;
        if (next.stillNews && !(await next.stillNews())) {
          held.shift();
          continue;
        }
        await send(next.channel, next.message);
        held.shift();
      }
    } catch {
      scheduleFlush();
    } finally {
      flushing = false;
    }
  }

  function scheduleFlush(): void {
    if (closed || retry || held.length === 0) return;
    retry = setTimeout(() => {
      retry = undefined;
      void flush();
    }, RETRY_MS);
    retry.unref();
  }

  const onReady = () => void flush();
  sharedRedis(url).on('ready', onReady);

  /** Reads a channel's stream on from `from` (its newest entry at subscription), for as long as wanted. */
  async function read(client: RedisClient, key: string, listener: (message: unknown) => void, channel: string, stopped: () => boolean, from: string | undefined): Promise<void> {
    const gate = new RedisGate(client);
    while (!closed && !stopped()) {
      if (!client.isReady) {
        await sleep(100);
        continue;
      }
      try {
        from ??= (await newestId(client, key)) ?? '0-0';
        // Bounded: from a hung Redis, the same entries are asked for again later (nothing is skipped).
        const reply = (await gate.run((redis) => redis.xRead({ key, id: from! }, { BLOCK: BLOCK_MS, COUNT: 100 }), BLOCK_MS + 2000)) as { messages: { id: string; message: Record<string, string> }[] }[] | null;
        for (const { messages } of reply ?? []) {
          for (const entry of messages) {
            from = entry.id;
            const envelope = parse(entry.message[FIELD] ?? '', channel) as Envelope | undefined;
            // Our own publications reached this process's subscribers already.
            if (envelope && envelope.origin !== ORIGIN && !stopped()) deliver(listener, JSON.stringify(envelope.message), channel);
          }
        }
      } catch {
        await sleep(200);
      }
    }
  }

  return {
    async publish(channel, message, { stillNews } = {}) {
      await local.publish(channel, message);
      if (held.length === 0) {
        try {
          await send(channel, message);
          return;
        } catch {
          // Held below: Redis is away.
        }
      }
      held.push({ channel, message, stillNews });
      if (held.length > MAX_HELD) {
        const dropped = held.shift();
        logger.warn('publication dropped: Redis away too long', { channel: dropped?.channel });
      }
      logger.warn('publication held until Redis is back', { channel, held: held.length });
      scheduleFlush();
    },
    async subscribe(channel, listener) {
      const stopLocal = await local.subscribe(channel, listener);
      reader ??= createRedisClient(url, { name: 'subscriber' });
      const client = reader;
      let stopped = false;
      // Where reading starts is found before subscribe resolves, so nothing published after it is missed.
      const from = await newestId(client, name(channel));
      readers.push(read(client, name(channel), listener, channel, () => stopped, from));
      return async () => {
        stopped = true;
        await stopLocal();
      };
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      sharedRedis(url).off('ready', onReady);
      await local.close();
      if (reader) destroyRedis(reader);
      reader = undefined;
      await Promise.allSettled(readers);
    },
  };
}

/** The id of a stream's newest entry ('0-0' when it has none); undefined while Redis is away. */
async function newestId(client: RedisClient, key: string): Promise<string | undefined> {
  if (!client.isReady) await Promise.race([new Promise((resolve) => client.once('ready', resolve)), sleep(SUBSCRIBE_WAIT_MS)]);
  try {
    const [newest] = await new RedisGate(client).run((redis) => redis.xRevRange(key, '+', '-', { COUNT: 1 }));
    return newest?.id ?? '0-0';
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function parse(raw: string, channel: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    logger.warn('pub/sub message dropped', { channel, error: (error as Error).message });
    return undefined;
  }
}

function deliver(listener: (message: unknown) => void, raw: string, channel: string): void {
  const message = parse(raw, channel);
  if (message === undefined) return;
  try {
    listener(message);
  } catch (error) {
    logger.warn('pub/sub listener failed', { channel, error: (error as Error).message });
  }
}
