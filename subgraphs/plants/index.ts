/**
 * The plants subgraph: wires the Plant API connector into the kit's pipeline (cache,
 * breaker, retry), watches the API's health, and takes its change webhooks.
 */
import { createCache } from '../kit/cache.ts';
import type { SubgraphFactory } from '../kit/subgraph.ts';
import { Upstream } from '../kit/upstream.ts';
import { createPlantApi, PLANT_API } from './connector.ts';
import { PlantData, type PlantLoaders } from './loaders.ts';
import { plantPermissions } from './permissions.ts';
import { plantResolvers } from './resolvers.ts';
import { plantWebhookRoute } from './webhooks.ts';

export const SERVICE = 'plants';

export const createPlantsSubgraph: SubgraphFactory<PlantLoaders> = async ({ settings, audit }) => {
  const config = settings.plantApi;
  const api = createPlantApi(config);
  const cache = createCache({ namespace: SERVICE, redisUrl: settings.redisUrl });
  const upstream = new Upstream({
    api: PLANT_API,
    credentialScope: `${config.clientId}/${config.scope}`,
    policy: config.policy,
    cache,
    onFailure: (error) =>
      audit.emit({
        type: 'UPSTREAM_ERROR',
        actor: `system:${SERVICE}`,
        service: SERVICE,
        action: 'call plant-api',
        outcome: 'FAILURE',
        details: { api: error.api, failure: error.failure, status: error.status ?? null },
      }),
  });
  upstream.health.onChange(({ up, since }) =>
    audit.emit({
      type: up ? 'UPSTREAM_RESTORED' : 'UPSTREAM_DOWN',
      actor: `system:${SERVICE}`,
      service: SERVICE,
      action: up ? 'plant-api restored' : 'plant-api down',
      outcome: up ? 'SUCCESS' : 'FAILURE',
      details: { api: PLANT_API, since: since.toISOString() },
    }),
  );
  // The probe goes through the breaker (no retries): while it is open the probe fails fast,
  // and the first probe after half-open is the trial that closes it.
  upstream.health.startProbe(() => upstream.call((signal) => api.health(signal), { idempotent: false }), config.healthProbeIntervalMs);
  const data = new PlantData(api, upstream, cache);

  return {
    resolvers: plantResolvers(() => upstream.health.state),
    permissions: plantPermissions,
    createLoaders: () => data.createLoaders(),
    routes: [
      plantWebhookRoute({
        secrets: [config.webhookSecret],
        audit,
        service: SERVICE,
        onChange: ({ plantId }) => data.invalidatePlant(plantId),
      }),
    ],
    async close() {
      upstream.health.stopProbe();
      await cache.disconnect();
    },
  };
};
