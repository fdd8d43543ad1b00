/**
 * The core banking sandbox stands in for the banking subgraph's upstream. It starts before
 * the subgraph: it makes the PKI (under the data folder) whose client certificate the
 * subgraph presents.
 */
import { bankingSettings } from '../../subgraphs/banking/settings.ts';
import { defineStandIn, faultsOf } from '../kit/stand-in.ts';
import { startCoreBanking } from './server.ts';

export const coreBankingStandIn = defineStandIn({
  name: 'core-banking',
  portSetting: 'CORE_BANKING_PORT',
  title: 'core banking, mutual TLS',
  subgraph: bankingSettings,
  port: (config) => config.sandboxPort,
  start: (config, options) =>
    startCoreBanking({
      host: options.host,
      port: options.port,
      pkiDir: config.pkiDir,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      apiKey: config.apiKey,
      tokenTtlSeconds: config.tokenTtlSeconds,
      ...faultsOf(options),
    }),
  pointAt: (running) => ({ CORE_BANKING_URL: running.url }),
});
