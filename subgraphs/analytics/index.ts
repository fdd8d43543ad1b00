/**
 * The analytics subgraph: wires the Google Analytics connector into the kit's pipeline
 * (cache 600 s, breaker, retry, outbound quota of 10 a minute shared through Redis).
 */
import { createCache } from '../kit/cache.ts';
import { fingerprint } from '../kit/fingerprint.ts';
import { schemaBeside, type SubgraphEntry, type SubgraphFactory } from '../kit/subgraph.ts';
import { Upstream } from '../kit/upstream.ts';
import { createAnalyticsApi, GOOGLE_ANALYTICS_API } from './connector.ts';
import { analyticsLoaders, type AnalyticsLoaders } from './loaders.ts';
import { analyticsPermissions } from './permissions.ts';
import { analyticsResolvers } from './resolvers.ts';

export const SERVICE = 'analytics';

const createAnalyticsSubgraph: SubgraphFactory<AnalyticsLoaders> = async ({ settings, audit }) => {
  const config = settings.googleAnalytics;
  const cache = createCache(settings, SERVICE);
  const upstream = new Upstream({
    api: GOOGLE_ANALYTICS_API,
    // Which property's data, read with which grant, without the refresh token itself.
    credentialScope: `${config.propertyId}/${fingerprint(config.refreshToken)}`,
    policy: config.policy,
    cache,
    shared: settings,
    audit: { sink: audit, service: SERVICE },
  });
  const api = createAnalyticsApi(config);

  return {
    resolvers: analyticsResolvers,
    createLoaders: () => analyticsLoaders(api, upstream),
    async close() {
      await cache.disconnect();
    },
  };
};

export const analyticsSubgraph: SubgraphEntry<AnalyticsLoaders> = {
  name: SERVICE,
  schemaFile: schemaBeside(import.meta.url),
  port: (settings) => settings.ports.analytics,
  permissions: analyticsPermissions,
  create: createAnalyticsSubgraph,
};
