/**
 * The banking subgraph's settings: the core banking platform over mutual TLS, OAuth2
 * client credentials, and an API key for calendars. Defaults point at the core banking
 * sandbox and the certificates it makes under the data folder.
 */
import path from 'node:path';
import { defineSubgraphSettings, type SettingsOf } from '../../config/subgraph-settings.ts';
import { readPolicy, SECOND } from '../../config/upstream-policy.ts';

export const bankingSettings = defineSubgraphSettings({
  name: 'banking',
  port: 4004,
  read: (env, { local, dataDir }) => {
    const sandboxPort = env.int('CORE_BANKING_PORT', 4104, { min: 0, max: 65535 });
    /** Where the sandbox keeps (and first makes) its CA, server and client certificates. */
    const pkiDir = path.resolve(env.string('CORE_BANKING_PKI_DIR', path.join(dataDir, 'core-banking', 'pki')));
    return {
      sandboxPort,
      url: env.url('CORE_BANKING_URL', local(sandboxPort).replace(/^http:/, 'https:')),
      clientId: env.string('CORE_BANKING_CLIENT_ID', 'banking-subgraph'),
      clientSecret: env.secret('CORE_BANKING_CLIENT_SECRET', 'banking-dev-secret'),
      /** `X-API-Key` of the calendar API. */
      apiKey: env.secret('CORE_BANKING_API_KEY', 'calendar-dev-key'),
      pkiDir,
      // The defaults are the files the sandbox generates (sandbox/core-banking/pki.ts).
      /** CA that signed the server certificate (PEM file). */
      caFile: path.resolve(env.string('CORE_BANKING_CA_FILE', path.join(pkiDir, 'ca.crt'))),
      /** Client certificate presented in the TLS handshake (PEM file). */
      certFile: path.resolve(env.string('CORE_BANKING_CERT_FILE', path.join(pkiDir, 'client.crt'))),
      /** Private key of the client certificate (PEM file). */
      keyFile: path.resolve(env.string('CORE_BANKING_KEY_FILE', path.join(pkiDir, 'client.key'))),
      tokenTtlSeconds: env.int('CORE_BANKING_TOKEN_TTL_SECONDS', 3600, { min: 1 }),
      /** Oldest TLS version the connection may use (the platform asks for 1.3). */
      minTlsVersion: env.oneOf('CORE_BANKING_MIN_TLS_VERSION', ['TLSv1.2', 'TLSv1.3'] as const, 'TLSv1.3'),
      // Answers are kept for the short TTL only, never served stale: a validation from
      // before an outage must not pass an account frozen since.
      policy: readPolicy(env, 'CORE_BANKING', { cacheTtlMs: 30 * SECOND, staleTtlMs: 0 }),
    };
  },
  requiredInProduction: ['CORE_BANKING_URL', 'CORE_BANKING_CLIENT_SECRET', 'CORE_BANKING_API_KEY'],
  upstreamUrls: (settings) => ({ CORE_BANKING_URL: settings.url }),
  productionProblems: (settings) => (settings.minTlsVersion === 'TLSv1.3' ? [] : [`CORE_BANKING_MIN_TLS_VERSION must be TLSv1.3 (got ${settings.minTlsVersion})`]),
});

export type BankingSettings = SettingsOf<typeof bankingSettings>;
