/** Runs the Plant API sandbox on its configured port until SIGINT or SIGTERM. */
import { loadSettings } from '../../config/settings.ts';
import { startPlantApi } from './server.ts';

const settings = loadSettings();
const { clientId, clientSecret, tokenTtlSeconds, webhookSecret, webhookTarget } = settings.plantApi;
const api = await startPlantApi({
  host: settings.host,
  port: settings.ports.plantApi,
  clientId,
  clientSecret,
  tokenTtlSeconds,
  webhookSecret,
  webhookTarget,
});
console.log(`Plant API sandbox listening on ${api.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void api.close().then(() => process.exit(0));
  });
}
