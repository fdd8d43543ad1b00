/** The Plant API sandbox stands in for the plants subgraph's upstream and posts its webhooks to it. */
import { plantsSettings, PLANT_WEBHOOK_PATH } from '../../subgraphs/plants/settings.ts';
import { defineStandIn, faultsOf } from '../kit/stand-in.ts';
import { startPlantApi } from './server.ts';

export const plantApiStandIn = defineStandIn({
  name: 'plant-api',
  portSetting: 'PLANT_API_PORT',
  title: 'Plant API',
  subgraph: plantsSettings,
  port: (config) => config.sandboxPort,
  start: (config, options) =>
    startPlantApi({
      host: options.host,
      port: options.port,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      tokenTtlSeconds: config.tokenTtlSeconds,
      webhookSecret: config.webhookSecret,
      webhookTarget: config.webhookTarget,
      ...faultsOf(options),
    }),
  pointAt: (running) => ({ PLANT_API_URL: running.url }),
  connect: (running, subgraphUrl) => running.setWebhookTarget(subgraphUrl.replace(/\/graphql$/, PLANT_WEBHOOK_PATH)),
});
