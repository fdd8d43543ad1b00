/**
 * Starts the delivery of audit events into the store: from the Redis Stream when Redis is
 * configured, and always from the local outbox (where emitters write without Redis, or
 * when Redis fails them).
 */
import { hostname } from 'node:os';
import type { Settings } from '../../../config/settings.ts';
import { outboxDir } from '../../../kit/audit-outbox.ts';
import { auditStreamKey } from '../../../kit/audit-stream.ts';
import type { AuditStore } from '../store/audit-store.ts';
import { outboxOffsetsPath } from './backlog.ts';
import { startOutboxConsumer, type RunningConsumer } from './outbox-consumer.ts';
import { startRedisStreamConsumer } from './redis-stream-consumer.ts';

export interface AuditConsumerOptions {
  settings: Pick<Settings, 'dataDir' | 'redisUrl'> & Partial<Pick<Settings, 'logLevel' | 'keyPrefix'>>;
  store: AuditStore;
  /**
   * Name in the consumer group; keep it stable across restarts so this consumer re-reads its
   * own unacknowledged entries at once (default: the host name).
   */
  consumerName?: string;
  /** Redis Stream key (tests use their own). */
  streamKey?: string;
  /** Outbox polling interval. */
  pollIntervalMs?: number;
  /** How long one blocking stream read waits. */
  blockMs?: number;
  /** Pending entries of other consumers idle this long are taken over. */
  claimIdleMs?: number;
  /** How often acknowledged stream entries are trimmed. */
  trimEveryMs?: number;
  /** Where delivery problems are reported (default: console.error unless logging is silent). */
  onError?: (error: unknown) => void;
}

export type { RunningConsumer } from './outbox-consumer.ts';

export async function startAuditConsumer(options: AuditConsumerOptions): Promise<RunningConsumer> {
  const { settings, store, onError = settings.logLevel === 'silent' ? () => {} : (error: unknown) => console.error('audit delivery:', error) } = options;
  const consumers: RunningConsumer[] = [];
  consumers.push(
    await startOutboxConsumer({
      dir: outboxDir(settings.dataDir),
      offsetsPath: outboxOffsetsPath(settings.dataDir),
      store,
      onError,
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    }),
  );
  if (settings.redisUrl) {
    consumers.push(
      await startRedisStreamConsumer({
        url: settings.redisUrl,
        store,
        streamKey: options.streamKey ?? auditStreamKey(settings.keyPrefix),
        consumerName: options.consumerName ?? `audit-${hostname()}`,
        onError,
        ...(options.blockMs === undefined ? {} : { blockMs: options.blockMs }),
        ...(options.claimIdleMs === undefined ? {} : { claimIdleMs: options.claimIdleMs }),
        ...(options.trimEveryMs === undefined ? {} : { trimEveryMs: options.trimEveryMs }),
      }),
    );
  }
  return {
    async stop() {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
    },
  };
}
