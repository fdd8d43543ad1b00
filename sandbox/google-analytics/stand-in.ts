/** The Google Analytics sandbox stands in for the analytics subgraph's upstream: its API and token endpoint. */
import { analyticsSettings } from '../../subgraphs/analytics/settings.ts';
import { defineStandIn, faultsOf } from '../kit/stand-in.ts';
import { startGoogleAnalytics } from './server.ts';

export const googleAnalyticsStandIn = defineStandIn({
  name: 'google-analytics',
  portSetting: 'GOOGLE_ANALYTICS_PORT',
  title: 'Google Analytics',
  subgraph: analyticsSettings,
  port: (config) => config.sandboxPort,
  start: (config, options) =>
    startGoogleAnalytics({
      host: options.host,
      port: options.port,
      propertyId: config.propertyId,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      refreshToken: config.refreshToken,
      tokenTtlSeconds: config.tokenTtlSeconds,
      ...faultsOf(options),
    }),
  pointAt: (running) => ({ GOOGLE_ANALYTICS_URL: running.url, GOOGLE_ANALYTICS_TOKEN_URL: `${running.url}/token` }),
});
