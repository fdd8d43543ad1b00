/**
 * The gateway's response cache (docs/architecture.md, "Response cache"): the store (Redis,
 * shared by replicas, with REDIS_URL; memory otherwise), the changes that drop entries, and
 * the plugin that serves and keeps answers. RESPONSE_CACHE=off leaves it out.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Settings } from '../../config/settings.ts';
import type { AuditSink } from '../../kit/request-audit.ts';
import type { PubSub } from '../../kit/pubsub.ts';
import type { ServiceMetrics } from '../../kit/service-metrics.ts';
import type { GatewayContext } from '../context.ts';
import { responseCacheMisfit } from '../heap-budget.ts';
import { Invalidations } from './invalidations.ts';
import { memoryStore } from './memory-store.ts';
import { responseCachePlugin } from './plugin.ts';
import { redisStore } from './redis-store.ts';

export interface ResponseCache {
  readonly plugin: ApolloServerPlugin<GatewayContext>;
  close(): Promise<void>;
}

export async function startResponseCache(options: {
  settings: Pick<Settings, 'gateway' | 'redisUrl' | 'keyPrefix'>;
  pubsub: PubSub;
  audit: AuditSink;
  metrics: ServiceMetrics;
}): Promise<ResponseCache | undefined> {
  const { settings, pubsub, audit, metrics } = options;
  if (!settings.gateway.responseCache.enabled) return undefined;
  const misfit = settings.redisUrl ? undefined : responseCacheMisfit(settings.gateway.responseCache.maxBytes);
  if (misfit) throw new Error(misfit);
  const store = settings.redisUrl
    ? redisStore({ url: settings.redisUrl, keyPrefix: settings.keyPrefix, metrics })
    : memoryStore({ maxBytes: settings.gateway.responseCache.maxBytes });
  const invalidations = new Invalidations(store, metrics);
  await invalidations.start(pubsub);
  return {
    plugin: responseCachePlugin({ store, invalidations, audit, metrics }),
    async close() {
      await invalidations.stop();
      await store.close();
    },
  };
}
