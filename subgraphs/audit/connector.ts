/**
 * The audit subgraph's upstream is the audit store itself (PostgreSQL or PGlite), fed by
 * the delivery consumer that drains the Redis Stream and the local outbox into it. The
 * subgraph's /metrics shows the delivery backlog; its /ready needs PostgreSQL when configured.
 */
import type { Settings } from '../../config/settings.ts';
import { upstreamUnavailable } from '../../kit/errors.ts';
import { logger } from '../../kit/logger.ts';
import { currentTelemetry } from '../../kit/service-scope.ts';
import { measureAuditBacklog, startAuditConsumer } from './delivery/index.ts';
import { openAuditStore, type AuditStore } from './store/index.ts';

export const AUDIT_STORE = 'audit-store';

/** What the resolvers read from the store. */
export type AuditReader = Pick<AuditStore, 'list' | 'trails' | 'verifyChain' | 'report'>;

export interface AuditSource {
  readonly store: AuditStore;
  /** The store as resolvers read it: a database that cannot answer is an unavailable upstream. */
  readonly reader: AuditReader;
  close(): Promise<void>;
}

/** Bad arguments (RangeError, TypeError) stay what they are; anything else is the database failing. */
function readerOf(store: AuditStore): AuditReader {
  const guarded =
    <A extends unknown[], R>(read: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      read(...args).catch((error: unknown) => {
        if (error instanceof RangeError || error instanceof TypeError) throw error;
        logger.warn('audit store read failed', { error: error instanceof Error ? error.message : String(error) });
        throw upstreamUnavailable(AUDIT_STORE);
      });
  return {
    list: guarded(store.list),
    trails: guarded(store.trails),
    verifyChain: guarded(store.verifyChain),
    report: guarded(store.report),
  };
}

export async function openAuditSource(settings: Settings): Promise<AuditSource> {
  const store = await openAuditStore(settings, { schema: settings.auditSchema });
  const consumer = await startAuditConsumer({ settings, store, consumerName: settings.auditConsumerName }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const telemetry = currentTelemetry();
  telemetry.metrics.trackAuditBacklog(() => measureAuditBacklog({ settings }));
  if (settings.databaseUrl) telemetry.readiness.add('postgresql', () => store.ping().then(() => undefined));
  return {
    store,
    reader: readerOf(store),
    async close() {
      await consumer.stop();
      await store.close();
    },
  };
}
