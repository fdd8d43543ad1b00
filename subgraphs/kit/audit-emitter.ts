/**
 * The producer side of the audit log. `emit` is synchronous and never throws: the request
 * path neither waits for nor fails because of auditing. Events go to the Redis Stream when
 * Redis is configured and reachable; otherwise (and whenever Redis fails) to the local
 * outbox, so an event is always either acknowledged by Redis or on local disk. Duplicates
 * between the two paths are harmless: the store keeps each id once.
 */
import { createClient } from 'redis';
import type { Settings } from '../../config/settings.ts';
import { completeAuditEvent, type AuditEvent, type AuditEventInput } from './audit-event.ts';
import { createOutboxWriter, outboxDir, type OutboxWriter } from './audit-outbox.ts';
import { AUDIT_STREAM_FIELD, auditStreamKey } from './audit-stream.ts';
import { onProcessExit } from './exit-hooks.ts';
import { redactDetails } from './redact.ts';
import { currentRequestId } from './service-scope.ts';

/** Emits audit events for one service. */
export interface AuditEmitter {
  /** Completes, redacts and queues an event. Synchronous, never throws. */
  emit(input: AuditEventInput): void;
  /** Resolves when every event emitted so far is in Redis or durably in the outbox. */
  flush(): Promise<void>;
  /** Flushes and releases the connection and files. */
  close(): Promise<void>;
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
  /** Where transport failures are reported (default: ignored, the outbox has the events). */
  onError?: (error: unknown) => void;
}

const REDIS_BATCH = 200;
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
    async flush() {
      if (redis) await redis.flush();
      await outbox.flush();
    },
    async close() {
      if (redis) await redis.close();
      await outbox.close();
    },
  };
}

interface Buffered {
  event: AuditEvent;
  /** Already in the outbox: may be dropped from memory without loss. */
  spooled: boolean;
}

interface RedisSender {
  send(event: AuditEvent): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

function createRedisSender(url: string, outbox: OutboxWriter, options: AuditEmitterOptions): RedisSender {
  const { streamKey = auditStreamKey(options.settings.keyPrefix), maxBuffered = 10_000, retryDelayMs = 500, spoolAfterMs = 1000, onError = () => {} } = options;
  let buffer: Buffered[] = [];
  let pumping: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const client = createClient({
    url,
    // Fail commands at once while disconnected instead of queueing them unboundedly.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000) },
  });
  // Unreachable = an error since the last successful connection. Until the first connection
  // succeeds or fails, events wait in memory for up to `spoolAfterMs` before being spooled.
  let unreachable = false;
  const createdAt = Date.now();
  client.on('error', (error) => {
    unreachable = true;
    safely(onError, error);
  });
  client.on('ready', () => {
    unreachable = false;
    if (buffer.length > 0) void startPump();
  });
  client.connect().catch((error: unknown) => safely(onError, error));

  /** Moves what is not yet in the outbox there, so a crash before the retry loses nothing. */
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
        await multi.execAsPipeline();
        buffer = buffer.filter((entry) => !batch.includes(entry));
      } catch (error) {
        safely(onError, error);
        spool(buffer);
        scheduleRetry(retryDelayMs);
        return;
      }
    }
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

  const unregister = onProcessExit(() => spool(buffer));

  return {
    send(event) {
      buffer.push({ event, spooled: false });
      if (buffer.length > maxBuffered) {
        // Memory stays bounded; the oldest events live on in the outbox only.
        const overflow = buffer.slice(0, buffer.length - maxBuffered);
        spool(overflow);
        buffer = buffer.slice(overflow.length);
      }
      if (closed) spool(buffer.splice(0));
      else queueMicrotask(() => void startPump());
    },
    async flush() {
      await startPump();
      // Whatever Redis did not take yet goes to disk: flush promises durability.
      spool(buffer);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await startPump();
      spool(buffer);
      buffer = [];
      unregister();
      try {
        client.destroy();
      } catch {
        // Already closed (it never connected): nothing to release.
      }
    },
  };
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
