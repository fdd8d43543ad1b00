/**
 * The audit subgraph's upstream is the audit store itself (PostgreSQL or PGlite), fed by
 * the delivery consumer that drains the Redis Stream and the local outbox into it. The
 * subgraph's /metrics shows the delivery backlog; its /ready needs PostgreSQL when configured.
 */
import type { Settings } from '../../config/settings.ts';
import { currentTelemetry } from '../kit/service-telemetry.ts';
import { measureAuditBacklog, startAuditConsumer } from './delivery/index.ts';
import { openAuditStore, type AuditStore } from './store/index.ts';

export interface AuditSource {
  readonly store: AuditStore;
  close(): Promise<void>;
}

export async function openAuditSource(settings: Settings): Promise<AuditSource> {
  const store = await openAuditStore(settings, { schema: settings.auditSchema });
  const consumer = await startAuditConsumer({ settings, store }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const telemetry = currentTelemetry();
  telemetry.metrics.trackAuditBacklog(() => measureAuditBacklog({ settings }));
  if (settings.databaseUrl) telemetry.readiness.add('postgresql', () => store.ping().then(() => undefined));
  return {
    store,
    async close() {
      await consumer.stop();
      await store.close();
    },
  };
}
