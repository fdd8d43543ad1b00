/**
 * The analytics subgraph: the Google Analytics connector through the kit's pipeline
 * (cache 600 s, breaker, retry, outbound quota of 10 a minute shared through Redis).
 */
import { fingerprint } from '../kit/fingerprint.ts';
import { defineSubgraph, schemaBeside } from '../kit/subgraph.ts';
import { createAnalyticsApi, GOOGLE_ANALYTICS_API } from './connector.ts';
import { analyticsLoaders } from './loaders.ts';
import { analyticsPermissions } from './permissions.ts';
import { analyticsResolvers } from './resolvers.ts';
import { analyticsSettings } from './settings.ts';

export const analyticsSubgraph = defineSubgraph({
  settings: analyticsSettings,
  schemaFile: schemaBeside(import.meta.url),
  permissions: analyticsPermissions,
  async create({ config, upstream }) {
    const upstreamApi = upstream({
      api: GOOGLE_ANALYTICS_API,
      // Which property's data, read with which grant, without the refresh token itself.
      credentialScope: `${config.propertyId}/${fingerprint(config.refreshToken)}`,
      policy: config.policy,
    });
    const api = createAnalyticsApi(config);
    return { resolvers: analyticsResolvers, createLoaders: () => analyticsLoaders(api, upstreamApi) };
  },
});
