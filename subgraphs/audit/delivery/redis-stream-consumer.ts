/**
 * Moves audit events from the Redis Stream into the store through a consumer group: read a
 * batch, append it, XACK only after the rows committed. Entries read but not acknowledged
 * (a crash, a failed append) stay pending: at start and after every error this consumer
 * re-reads its own pending entries, and takes over those of consumers idle for
 * `claimIdleMs` (XAUTOCLAIM). Appends are idempotent, so re-delivery is harmless.
 */
import type { AuditEvent } from '../../../kit/audit-event.ts';
import { AUDIT_CONSUMER_GROUP, AUDIT_STREAM_FIELD } from '../../../kit/audit-stream.ts';
import { createRedisClient, destroyRedis, RedisGate } from '../../../kit/redis.ts';
import type { AuditStore } from '../store/audit-store.ts';
import { decodeAuditEvent } from './decode-event.ts';
import type { RunningConsumer } from './outbox-consumer.ts';

export interface RedisStreamConsumerOptions {
  url: string;
  store: AuditStore;
  streamKey: string;
  consumerName: string;
  group?: string;
  batchSize?: number;
  /** How long one XREADGROUP blocks waiting for entries. */
  blockMs?: number;
  /** Pending entries idle this long on another consumer are taken over. */
  claimIdleMs?: number;
  /** How often acknowledged entries are trimmed from the stream. @default 5000 */
  trimEveryMs?: number;
  onError?: (error: unknown) => void;
}

interface StreamEntry {
  id: string;
  message: Record<string, string>;
}

const STOP_GRACE_MS = 5000;

export async function startRedisStreamConsumer(options: RedisStreamConsumerOptions): Promise<RunningConsumer> {
  const { url, store, streamKey, consumerName, group = AUDIT_CONSUMER_GROUP, batchSize = 200, blockMs = 2000, claimIdleMs = 60_000, trimEveryMs = 5000, onError = () => {} } = options;
  const commands = createRedisClient(url, { name: 'audit consumer' });
  // Blocking reads get their own connection so acks never queue behind a BLOCK, and a
  // command timeout that outlasts the block.
  const readerClient = createRedisClient(url, { name: 'audit consumer reads' });
  // Answers bounded: a hung Redis fails the loop's step, which starts again from the pending entries.
  const commandsGate = new RedisGate(commands);
  const readerGate = new RedisGate(readerClient);
  for (const client of [commands, readerClient]) client.on('error', onError);

  let stopping = false;
  let storing = false;

  /** Stores one batch and acknowledges it; invalid entries go to a dead-letter stream. */
  async function handle(entries: readonly StreamEntry[]): Promise<void> {
    if (entries.length === 0) return;
    storing = true;
    try {
      const events: AuditEvent[] = [];
      for (const { id, message } of entries) {
        const event = decodeAuditEvent(message[AUDIT_STREAM_FIELD] ?? '');
        if (typeof event !== 'string') events.push(event);
        else await commandsGate.run(() => commands.xAdd(`${streamKey}:dead-letter`, '*', { entry: id, reason: event, raw: JSON.stringify(message) }));
      }
      await store.append(events);
      await commandsGate.run(() => commands.xAck(streamKey, group, entries.map((entry) => entry.id)));
    } finally {
      storing = false;
    }
    await trimAcknowledged().catch(onError);
  }

  let trimmedAt = 0;
  /**
   * Drops what the group has delivered and had acknowledged, so the stream does not grow
   * forever: everything older than its oldest pending entry (or, with none pending, than the
   * last delivered one). Entries not yet delivered are never touched.
   */
  async function trimAcknowledged(): Promise<void> {
    if (Date.now() - trimmedAt < trimEveryMs) return;
    trimmedAt = Date.now();
    const [pending, groups] = await commandsGate.run(() => Promise.all([commands.xPending(streamKey, group), commands.xInfoGroups(streamKey)]));
    const lastDelivered = groups.find((info) => String(info.name) === group)?.['last-delivered-id'];
    const keepFrom = Number(pending.pending) > 0 && pending.firstId ? String(pending.firstId) : lastDelivered ? String(lastDelivered) : undefined;
    if (keepFrom && keepFrom !== '0-0') await commandsGate.run(() => commands.xTrim(streamKey, 'MINID', keepFrom));
  }

  async function ensureGroup(): Promise<void> {
    try {
      await commandsGate.run(() => commands.xGroupCreate(streamKey, group, '0', { MKSTREAM: true }));
    } catch (error) {
      if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
    }
  }

  /** Entries this consumer read before but never acknowledged, then orphans of idle consumers. */
  async function recoverPending(): Promise<void> {
    let after = '0';
    while (!stopping) {
      const reply = await commandsGate.run(() => commands.xReadGroup(group, consumerName, { key: streamKey, id: after }, { COUNT: batchSize }));
      const entries = entriesOf(reply);
      if (entries.length === 0) break;
      await handle(entries);
      after = entries.at(-1)?.id ?? after;
    }
    let cursor = '0-0';
    do {
      const claimed = await commandsGate.run(() => commands.xAutoClaim(streamKey, group, consumerName, claimIdleMs, cursor, { COUNT: batchSize }));
      await handle(claimed.messages.filter((entry) => entry !== null).map(toEntry));
      cursor = String(claimed.nextId);
    } while (cursor !== '0-0' && !stopping);
  }

  async function run(): Promise<void> {
    let groupReady = false;
    let recovered = false;
    let failures = 0;
    while (!stopping) {
      try {
        if (!commands.isReady || !readerClient.isReady) {
          // Away (its clients report that) or still connecting: look again shortly, and make
          // sure of the group once it is back.
          groupReady = false;
          recovered = false;
          await sleep(100);
          continue;
        }
        if (!groupReady) await ensureGroup();
        groupReady = true;
        if (!recovered) await recoverPending();
        recovered = true;
        const reply = await readerGate.run((reader) => reader.xReadGroup(group, consumerName, { key: streamKey, id: '>' }, { COUNT: batchSize, BLOCK: blockMs }), blockMs + 2000);
        await handle(entriesOf(reply));
        failures = 0;
      } catch (error) {
        if (stopping) break;
        onError(error);
        // Redis may have come back empty (NOGROUP): make the group again, from the start of
        // what producers wrote since. What failed is pending now: re-read it first.
        groupReady = false;
        recovered = false;
        failures += 1;
        await sleep(Math.min(50 * 2 ** failures, 2000));
      }
    }
  }

  const running = run();

  return {
    async stop() {
      stopping = true;
      // A blocked read holds nothing unacknowledged worth waiting for: cut it short.
      if (!storing) destroyRedis(readerClient);
      await Promise.race([running, sleep(STOP_GRACE_MS)]);
      destroyRedis(readerClient);
      destroyRedis(commands);
    },
  };
}

function entriesOf(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.flatMap((stream: { messages?: unknown[] }) => (stream.messages ?? []).filter((entry) => entry !== null).map(toEntry));
}

function toEntry(entry: unknown): StreamEntry {
  const { id, message } = entry as { id: unknown; message: Record<string, unknown> | null };
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(message ?? {})) fields[key] = String(value);
  return { id: String(id), message: fields };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
