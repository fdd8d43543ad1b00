/**
 * The plants subgraph: wires the Plant API connector into the kit's pipeline (cache,
 * breaker, retry), watches the API's health, and takes its change webhooks.
 */
import { createCache } from '../kit/cache.ts';
import { logFailure } from '../../kit/logger.ts';
import { createPubSub } from '../../kit/pubsub.ts';
import { createSharedState } from '../kit/shared-state.ts';
import { DowntimeWatcher } from './downtime.ts';
import { schemaBeside, type SubgraphEntry, type SubgraphFactory } from '../kit/subgraph.ts';
import { Upstream } from '../kit/upstream.ts';
import { createPlantApi, PLANT_API } from './connector.ts';
import { PlantData, type PlantLoaders } from './loaders.ts';
import { plantPermissions } from './permissions.ts';
import { plantResolvers } from './resolvers.ts';
import { plantWebhookRoute } from './webhooks.ts';

export const SERVICE = 'plants';

const createPlantsSubgraph: SubgraphFactory<PlantLoaders> = async ({ settings, audit }) => {
  const config = settings.plantApi;
  const api = createPlantApi(config);
  const cache = createCache(settings, SERVICE);
  const upstream = new Upstream({
    api: PLANT_API,
    credentialScope: `${config.clientId}/${config.scope}`,
    policy: config.policy,
    cache,
    shared: settings,
    audit: { sink: audit, service: SERVICE },
  });
  const pubsub = createPubSub({ redisUrl: settings.redisUrl, keyPrefix: settings.keyPrefix });
  const downtime = new DowntimeWatcher({
    pubsub,
    state: createSharedState({ redisUrl: settings.redisUrl, keyPrefix: settings.keyPrefix }),
    audit,
    service: SERVICE,
  });
  upstream.health.onChange((state) => void downtime.apiHealthChanged(state).catch(logFailure('downtime: health transition not shared')));
  upstream.health.startProbe(() => upstream.probe((signal) => api.health(signal)), config.healthProbeIntervalMs);
  const data = new PlantData(api, upstream, cache, (plants) => void downtime.plantsSeen(plants).catch(logFailure('downtime: plant statuses not compared')));

  return {
    resolvers: plantResolvers(() => upstream.health.state),
    createLoaders: () => data.createLoaders(),
    routes: [
      plantWebhookRoute({
        secrets: [config.webhookSecret],
        service: SERVICE,
        onChange: ({ plantId }) => data.refreshPlant(plantId),
      }),
    ],
    async close() {
      upstream.health.stopProbe();
      await pubsub.close();
      await cache.disconnect();
    },
  };
};

export const plantsSubgraph: SubgraphEntry<PlantLoaders> = {
  name: SERVICE,
  schemaFile: schemaBeside(import.meta.url),
  port: (settings) => settings.ports.plants,
  permissions: plantPermissions,
  create: createPlantsSubgraph,
};
