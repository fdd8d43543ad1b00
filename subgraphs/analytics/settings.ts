/**
 * The analytics subgraph's settings: the Google Analytics Data API (GA4) of one property,
 * OAuth2 with a refresh token. Defaults point at the Google Analytics sandbox, which serves
 * its token endpoint beside the API; the real API needs only these settings changed.
 */
import { defineSubgraphSettings, type SettingsOf } from '../../config/subgraph-settings.ts';
import { MINUTE, readPolicy } from '../../config/upstream-policy.ts';

export const analyticsSettings = defineSubgraphSettings({
  name: 'analytics',
  port: 4006,
  read: (env, { local }) => {
    const sandboxPort = env.int('GOOGLE_ANALYTICS_PORT', 4105, { min: 0, max: 65535 });
    /** API base URL (https://analyticsdata.googleapis.com for the real one). */
    const url = env.url('GOOGLE_ANALYTICS_URL', local(sandboxPort));
    return {
      sandboxPort,
      url,
      /** OAuth2 token endpoint (https://oauth2.googleapis.com/token for the real one). */
      tokenUrl: env.url('GOOGLE_ANALYTICS_TOKEN_URL', `${url}/token`),
      /** Numeric GA4 property id. */
      propertyId: String(env.int('GOOGLE_ANALYTICS_PROPERTY_ID', 250_000_001, { min: 1 })),
      clientId: env.string('GOOGLE_ANALYTICS_CLIENT_ID', 'analytics-subgraph'),
      clientSecret: env.secret('GOOGLE_ANALYTICS_CLIENT_SECRET', 'analytics-dev-secret'),
      refreshToken: env.secret('GOOGLE_ANALYTICS_REFRESH_TOKEN', 'analytics-dev-refresh-token'),
      /** Lifetime of the access tokens the sandbox grants. */
      tokenTtlSeconds: env.int('GOOGLE_ANALYTICS_TOKEN_TTL_SECONDS', 3599, { min: 1 }),
      policy: readPolicy(env, 'GOOGLE_ANALYTICS', { cacheTtlMs: 10 * MINUTE, quotaPerMinute: 10 }),
    };
  },
  requiredInProduction: [
    'GOOGLE_ANALYTICS_URL',
    'GOOGLE_ANALYTICS_TOKEN_URL',
    'GOOGLE_ANALYTICS_PROPERTY_ID',
    'GOOGLE_ANALYTICS_CLIENT_ID',
    'GOOGLE_ANALYTICS_CLIENT_SECRET',
    'GOOGLE_ANALYTICS_REFRESH_TOKEN',
  ],
  upstreamUrls: (settings) => ({ GOOGLE_ANALYTICS_URL: settings.url, GOOGLE_ANALYTICS_TOKEN_URL: settings.tokenUrl }),
});

export type AnalyticsSettings = SettingsOf<typeof analyticsSettings>;
