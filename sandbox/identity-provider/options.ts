/** The identity provider's start options, from the shared settings (it issues the tokens the gateway verifies). */
import type { Settings } from '../../config/settings.ts';
import type { IdentityProviderOptions } from './server.ts';

export const identityOptions = (s: Settings): IdentityProviderOptions => ({
  host: s.host,
  port: s.ports.identity,
  dataDir: s.dataDir,
  issuer: s.auth.issuer,
  audience: s.auth.audience,
  tokenTtlSeconds: s.auth.devTokenTtlSeconds,
});
