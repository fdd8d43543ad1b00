/**
 * The analytics subgraph: wires the Google Analytics connector into the kit's pipeline
 * (cache 600 s, breaker, retry, outbound quota of 10 a minute shared through Redis).
 */
import { createCache } from '../kit/cache.ts';
import { fingerprint } from '../kit/fingerprint.ts';
import { createQuota } from '../kit/quota.ts';
import type { SubgraphFactory } from '../kit/subgraph.ts';
import { Upstream } from '../kit/upstream.ts';
import { auditUpstreamFailure, auditUpstreamHealth } from '../kit/upstream-audit.ts';
import { createAnalyticsApi, GOOGLE_ANALYTICS_API } from './connector.ts';
import { analyticsLoaders, type AnalyticsLoaders } from './loaders.ts';
import { analyticsPermissions } from './permissions.ts';
import { analyticsResolvers } from './resolvers.ts';

export const SERVICE = 'analytics';

export const createAnalyticsSubgraph: SubgraphFactory<AnalyticsLoaders> = async ({ settings, audit }) => {
  const config = settings.googleAnalytics;
  const cache = createCache(settings, SERVICE);
  const upstream = new Upstream({
    api: GOOGLE_ANALYTICS_API,
    // Which property's data, read with which grant, without the refresh token itself.
    credentialScope: `${config.propertyId}/${fingerprint(config.refreshToken)}`,
    policy: config.policy,
    cache,
    quota: createQuota({
      api: GOOGLE_ANALYTICS_API,
      perMinute: config.policy.quotaPerMinute,
      windowMs: config.policy.quotaWindowMs,
      redisUrl: settings.redisUrl,
      keyPrefix: settings.keyPrefix,
    }),
    onFailure: auditUpstreamFailure(audit, SERVICE),
  });
  auditUpstreamHealth(upstream.health, GOOGLE_ANALYTICS_API, audit, SERVICE);
  const api = createAnalyticsApi(config);

  return {
    resolvers: analyticsResolvers,
    permissions: analyticsPermissions,
    createLoaders: () => analyticsLoaders(api, upstream),
    async close() {
      await cache.disconnect();
    },
  };
};
