/**
 * The plants subgraph's settings: the in-house Plant API (OAuth2 client credentials), its
 * change webhooks and its health probe. Defaults point at the Plant API sandbox.
 */
import { defineSubgraphSettings, type SettingsOf } from '../../config/subgraph-settings.ts';
import { MINUTE, readPolicy } from '../../config/upstream-policy.ts';

/** Where the plants subgraph takes the Plant API's change webhooks. */
export const PLANT_WEBHOOK_PATH = '/webhooks/plant-api';

export const plantsSettings = defineSubgraphSettings({
  name: 'plants',
  port: 4001,
  read: (env, { local, port }) => {
    /** Where the Plant API sandbox listens when it stands in. */
    const sandboxPort = env.int('PLANT_API_PORT', 4101, { min: 0, max: 65535 });
    return {
      sandboxPort,
      url: env.url('PLANT_API_URL', local(sandboxPort)),
      clientId: env.string('PLANT_API_CLIENT_ID', 'plants-subgraph'),
      clientSecret: env.secret('PLANT_API_CLIENT_SECRET', 'plants-dev-secret'),
      scope: env.string('PLANT_API_SCOPE', 'plants.read'),
      webhookSecret: env.secret('PLANT_WEBHOOK_SECRET', 'plant-webhook-dev-secret'),
      /** Where the Plant API sandbox posts its change webhooks. */
      webhookTarget: env.url('PLANT_WEBHOOK_TARGET', `${local(port)}${PLANT_WEBHOOK_PATH}`),
      healthProbeIntervalMs: env.int('PLANT_API_HEALTH_PROBE_MS', 5000, { min: 10 }),
      tokenTtlSeconds: env.int('PLANT_API_TOKEN_TTL_SECONDS', 3600, { min: 1 }),
      // The Plant API is ours: no outbound quota unless one is set.
      policy: readPolicy(env, 'PLANT_API', { cacheTtlMs: 10 * MINUTE, quotaPerMinute: 0 }),
    };
  },
  requiredInProduction: ['PLANT_API_URL', 'PLANT_API_CLIENT_SECRET', 'PLANT_WEBHOOK_SECRET'],
  upstreamUrls: (settings) => ({ PLANT_API_URL: settings.url }),
});

export type PlantsSettings = SettingsOf<typeof plantsSettings>;
