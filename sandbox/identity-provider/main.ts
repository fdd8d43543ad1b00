/** Runs the identity provider sandbox on its configured port until SIGINT or SIGTERM. */
import { loadSettings } from '../../config/settings.ts';
import { startIdentityProvider } from './server.ts';

const settings = loadSettings();
const idp = await startIdentityProvider({
  host: settings.host,
  port: settings.ports.identity,
  dataDir: settings.dataDir,
  issuer: settings.auth.issuer,
  audience: settings.auth.audience,
  tokenTtlSeconds: settings.auth.devTokenTtlSeconds,
});
console.log(`Identity provider sandbox listening on ${idp.url} (issuer ${idp.issuer})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void idp.close().then(() => process.exit(0));
  });
}
