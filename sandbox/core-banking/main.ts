/**
 * Runs the core banking sandbox on its configured port:
 * `node sandbox/core-banking/main.ts`. The PKI is made under DATA_DIR at first start.
 */
import { loadSettings } from '../../config/settings.ts';
import { startCoreBanking } from './server.ts';

const settings = loadSettings();
const { coreBanking } = settings;
const sandbox = await startCoreBanking({
  host: settings.host,
  port: settings.ports.coreBanking,
  pkiDir: coreBanking.pkiDir,
  clientId: coreBanking.clientId,
  clientSecret: coreBanking.clientSecret,
  apiKey: coreBanking.apiKey,
  tokenTtlSeconds: coreBanking.tokenTtlSeconds,
});
console.log(`core-banking sandbox listening on ${sandbox.url} (mutual TLS; CA and client certificate in ${sandbox.pki.dir})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
