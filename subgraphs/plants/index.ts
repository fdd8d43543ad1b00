/**
 * The plants subgraph: the Plant API connector through the kit's pipeline (cache, breaker,
 * retry), the API's health watched for downtime alerts, and its change webhooks.
 */
import { logFailure } from '../../kit/logger.ts';
import { createPubSub } from '../../kit/pubsub.ts';
import { createSharedState } from '../kit/shared-state.ts';
import { defineSubgraph, schemaBeside } from '../kit/subgraph.ts';
import { createPlantApi, PLANT_API } from './connector.ts';
import { DowntimeWatcher } from './downtime.ts';
import { PlantData } from './loaders.ts';
import { plantPermissions } from './permissions.ts';
import { plantResolvers } from './resolvers.ts';
import { plantsSettings } from './settings.ts';
import { plantWebhookRoute } from './webhooks.ts';

const SERVICE = plantsSettings.name;

export const plantsSubgraph = defineSubgraph({
  settings: plantsSettings,
  schemaFile: schemaBeside(import.meta.url),
  permissions: plantPermissions,
  async create({ settings, config, audit, cache, upstream, announceChanges }) {
    const api = createPlantApi(config);
    const plantApi = upstream({ api: PLANT_API, credentialScope: `${config.clientId}/${config.scope}`, policy: config.policy });
    const pubsub = createPubSub({ redisUrl: settings.redisUrl, keyPrefix: settings.keyPrefix });
    const downtime = new DowntimeWatcher({
      pubsub,
      state: createSharedState({ redisUrl: settings.redisUrl, keyPrefix: settings.keyPrefix }),
      audit,
      service: SERVICE,
    });
    plantApi.health.onChange((state) => void downtime.apiHealthChanged(state).catch(logFailure('downtime: health transition not shared')));
    plantApi.health.startProbe(() => plantApi.probe((signal) => api.health(signal)), config.healthProbeIntervalMs);
    const data = new PlantData(api, plantApi, cache, (plants) => void downtime.plantsSeen(plants).catch(logFailure('downtime: plant statuses not compared')));

    return {
      resolvers: plantResolvers(() => plantApi.health.state),
      createLoaders: () => data.createLoaders(),
      routes: [
        plantWebhookRoute({
          secrets: [config.webhookSecret],
          service: SERVICE,
          onChange: async ({ plantId }) => {
            await data.refreshPlant(plantId);
            await announceChanges([{ type: 'Plant', id: plantId }]);
          },
        }),
      ],
      async close() {
        plantApi.health.stopProbe();
        await pubsub.close();
      },
    };
  },
});
