/**
 * The producer side of the audit log. `emit` is synchronous and never throws: the request
 * path neither waits for nor fails because of auditing. Events go to the Redis Stream when
 * Redis is configured and reachable; otherwise (and whenever Redis fails) to the local
 * outbox. An event Redis took is kept in memory until the audit consumer group has read
 * and acknowledged it: when the connection drops, or the stream or its group disappears (a
 * Redis restarted empty), what was not confirmed goes to the outbox too. So an event is
 * always stored, or acknowledged by the consumer, or on local disk. Duplicates between the
 * two paths are harmless: the store keeps each id once.
 */
import type { Settings } from '../config/settings.ts';
import { completeAuditEvent, type AuditEvent, type AuditEventInput } from './audit-event.ts';
import { createOutboxWriter, outboxDir, type OutboxWriter } from './audit-outbox.ts';
import { AUDIT_CONSUMER_GROUP, AUDIT_STREAM_FIELD, auditStreamKey } from './audit-stream.ts';
import { onProcessExit } from './exit-hooks.ts';
import { createRedisClient, destroyRedis, RedisGate } from './redis.ts';
import { redactDetails } from './redact.ts';
import { currentRequestId } from './service-scope.ts';

/** Emits audit events for one service. */
export interface AuditEmitter {
  /** Completes, redacts and queues an event. Synchronous, never throws. */
  emit(input: AuditEventInput): void;
  /**
   * Resolves when every event emitted so far is in Redis or durably in the outbox. With
   * `withinMs`, what Redis has not taken by then goes to the outbox instead of waiting longer
   * (a slow Redis holds an answer up that long at most).
   */
  flush(withinMs?: number): Promise<void>;
  /** Flushes and releases the connection and files. */
  close(): Promise<void>;
  /** False while Redis is configured but not reachable (events then go to the outbox). */
  connected(): boolean;
}

export interface AuditEmitterOptions {
  settings: Pick<Settings, 'dataDir' | 'redisUrl'> & Partial<Pick<Settings, 'keyPrefix'>>;
  /** Name of the emitting service (recorded on every event, names the outbox file). */
  service: string;
  /** Redis Stream key (tests use their own). */
  streamKey?: string;
  /** Most events kept in memory for a Redis retry; older ones are only in the outbox. */
  maxBuffered?: number;
  /** Delay between Redis retries while it is unreachable. */
  retryDelayMs?: number;
  /** How long events wait in memory for the first connection before going to the outbox too. */
  spoolAfterMs?: number;
  /** How often the consumer group's progress is read to confirm events sent. @default 1000 */
  confirmEveryMs?: number;
  /** Events the group has not confirmed this long go to the outbox too. @default 30000 */
  confirmWithinMs?: number;
  /** Where transport failures are reported (default: ignored, the outbox has the events). */
  onError?: (error: unknown) => void;
}

const REDIS_BATCH = 200;
/** How long a batch of XADDs may wait for Redis's answer. */
const REDIS_BATCH_TIMEOUT_MS = 1000;
const CONNECTING_POLL_MS = 20;

/** Creates an emitter; connects to Redis in the background when `settings.redisUrl` is set. */
export function createAuditEmitter(options: AuditEmitterOptions): AuditEmitter {
  const { settings, service, onError = () => {} } = options;
  const outbox = createOutboxWriter({ dir: outboxDir(settings.dataDir), service, onError });
  const redis = settings.redisUrl ? createRedisSender(settings.redisUrl, outbox, options) : undefined;

  return {
    emit(input) {
      try {
        const event = completeAuditEvent(input, service);
        event.details = redactDetails(withRequestId(event.details));
        if (redis) redis.send(event);
        else outbox.append([event]);
      } catch (error) {
        // Auditing must never break the caller.
        safely(onError, error);
      }
    },
    async flush(withinMs) {
      if (redis) await redis.flush(withinMs);
      await outbox.flush();
    },
    async close() {
      if (redis) await redis.close();
      await outbox.close();
    },
    connected: () => redis?.connected() ?? true,
  };
}

interface Buffered {
  event: AuditEvent;
  /** Already in the outbox: may be dropped from memory without loss. */
  spooled: boolean;
}

/** An event Redis took, kept until the consumer group confirms it. */
interface Sent extends Buffered {
  streamId: string;
  sentAt: number;
}

interface RedisSender {
  send(event: AuditEvent): void;
  flush(withinMs?: number): Promise<void>;
  close(): Promise<void>;
  connected(): boolean;
}

function createRedisSender(url: string, outbox: OutboxWriter, options: AuditEmitterOptions): RedisSender {
  const {
    streamKey = auditStreamKey(options.settings.keyPrefix),
    maxBuffered = 10_000,
    retryDelayMs = 500,
    spoolAfterMs = 1000,
    confirmEveryMs = 1000,
    confirmWithinMs = 30_000,
    onError = () => {},
  } = options;
  let buffer: Buffered[] = [];
  let unconfirmed: Sent[] = [];
  let pumping: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const client = createRedisClient(url, { name: 'audit emitter' });
  const gate = new RedisGate(client);
  // Unreachable = an error since the last successful connection. Until the first connection
  // succeeds or fails, events wait in memory for up to `spoolAfterMs` before being spooled.
  let unreachable = false;
  const createdAt = Date.now();
  client.on('error', (error) => {
    unreachable = true;
    // Redis may come back without what it took: the outbox gets what was not confirmed.
    spool(unconfirmed);
    unconfirmed = [];
    safely(onError, error);
  });
  client.on('ready', () => {
    unreachable = false;
    if (buffer.length > 0) void startPump();
  });

  /** Moves what is not yet in the outbox there, so a crash or a lost Redis loses nothing. */
  function spool(entries: Buffered[]): void {
    const fresh = entries.filter((entry) => !entry.spooled);
    if (fresh.length === 0) return;
    outbox.append(fresh.map((entry) => entry.event));
    for (const entry of fresh) entry.spooled = true;
  }

  async function pump(): Promise<void> {
    while (buffer.length > 0) {
      const batch = buffer.slice(0, REDIS_BATCH);
      if (!client.isReady) {
        const stillConnecting = !unreachable && Date.now() - createdAt < spoolAfterMs;
        if (!stillConnecting) spool(buffer);
        scheduleRetry(stillConnecting ? CONNECTING_POLL_MS : retryDelayMs);
        return;
      }
      try {
        const multi = client.multi();
        for (const { event } of batch) multi.xAdd(streamKey, '*', { [AUDIT_STREAM_FIELD]: JSON.stringify(event) });
        // Without an answer in time, the batch counts as not taken: it goes to the outbox too.
        const ids = await gate.run(() => multi.execAsPipeline(), REDIS_BATCH_TIMEOUT_MS);
        const sentAt = Date.now();
        batch.forEach((entry, i) => unconfirmed.push({ ...entry, streamId: String(ids[i]), sentAt }));
        buffer = buffer.filter((entry) => !batch.includes(entry));
        bound();
        scheduleConfirm();
      } catch (error) {
        safely(onError, error);
        spool(buffer);
        scheduleRetry(retryDelayMs);
        return;
      }
    }
  }

  /** Memory stays bounded: beyond maxBuffered, the oldest events live on in the outbox only. */
  function bound(): void {
    const over = buffer.length + unconfirmed.length - maxBuffered;
    if (over <= 0) return;
    const oldest = unconfirmed.splice(0, Math.min(over, unconfirmed.length));
    spool(oldest);
    if (over > oldest.length) {
      const overflow = buffer.splice(0, over - oldest.length);
      spool(overflow);
    }
  }

  let confirmTimer: NodeJS.Timeout | undefined;
  function scheduleConfirm(): void {
    if (closed || confirmTimer || unconfirmed.length === 0) return;
    confirmTimer = setTimeout(() => {
      confirmTimer = undefined;
      void confirm().finally(scheduleConfirm);
    }, confirmEveryMs);
    confirmTimer.unref();
  }

  /**
   * Drops the events the consumer group has read and acknowledged: at or before its last
   * delivered entry, and before its oldest pending one. A stream or group that is gone
   * means Redis lost them: they go to the outbox.
   */
  async function confirm(): Promise<void> {
    if (!client.isReady || unconfirmed.length === 0) return;
    try {
      const groups = await gate.run(() => client.xInfoGroups(streamKey));
      const group = groups.find((info) => String(info.name) === AUDIT_CONSUMER_GROUP);
      if (group) {
        const pending = await gate.run(() => client.xPending(streamKey, AUDIT_CONSUMER_GROUP));
        const lastDelivered = String(group['last-delivered-id']);
        const firstPending = Number(pending.pending) > 0 && pending.firstId ? String(pending.firstId) : undefined;
        unconfirmed = unconfirmed.filter(
          ({ streamId }) => !(compareStreamIds(streamId, lastDelivered) <= 0 && (firstPending === undefined || compareStreamIds(streamId, firstPending) < 0)),
        );
      }
    } catch (error) {
      if (!/no such key/i.test(String((error as Error).message))) return safely(onError, error);
      spool(unconfirmed);
      unconfirmed = [];
      return;
    }
    // Not confirmed in time (no consumer running, or one far behind): on disk too.
    const late = unconfirmed.filter((entry) => Date.now() - entry.sentAt > confirmWithinMs);
    spool(late);
    unconfirmed = unconfirmed.filter((entry) => !late.includes(entry));
  }

  function scheduleRetry(delayMs: number): void {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void startPump();
    }, delayMs);
    // Pending events never keep a process alive: the exit hook spools them.
    retryTimer.unref();
  }

  function startPump(): Promise<void> {
    pumping ??= pump().finally(() => {
      pumping = undefined;
    });
    return pumping;
  }

  const unregister = onProcessExit(() => {
    spool(buffer);
    spool(unconfirmed);
  });

  return {
    send(event) {
      buffer.push({ event, spooled: false });
      bound();
      if (closed) spool(buffer.splice(0));
      else queueMicrotask(() => void startPump());
    },
    async flush(withinMs) {
      await (withinMs === undefined ? startPump() : within(startPump(), withinMs));
      // Whatever Redis did not take yet goes to disk: flush promises durability. The pump
      // goes on sending it; the store keeps each id once.
      spool(buffer);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (confirmTimer) clearTimeout(confirmTimer);
      await startPump();
      await confirm().catch(() => undefined);
      // What the consumer has not confirmed yet is kept on disk: nothing is lost by stopping.
      spool(buffer);
      spool(unconfirmed);
      buffer = [];
      unconfirmed = [];
      unregister();
      destroyRedis(client);
    },
    connected: () => client.isReady,
  };
}

/** Settles when `work` does or `ms` have passed, whichever is first. */
async function within(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  try {
    await Promise.race([work, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

/** Orders Redis stream ids (`<ms>-<seq>`). */
function compareStreamIds(a: string, b: string): number {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map((part) => BigInt(part));
  const [bMs = 0n, bSeq = 0n] = b.split('-').map((part) => BigInt(part));
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}

/** The request being served, so an audit row leads to its log lines (details: the hashed shape is unchanged). */
function withRequestId(details: Record<string, unknown>): Record<string, unknown> {
  const requestId = currentRequestId();
  return requestId && details.requestId === undefined ? { ...details, requestId } : details;
}

function safely(report: (error: unknown) => void, error: unknown): void {
  try {
    report(error);
  } catch {
    // A broken error reporter must not break emit either.
  }
}
