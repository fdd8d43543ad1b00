/**
 * The banking subgraph: the core banking connector (mutual TLS, OAuth2, API key) through
 * the kit's pipeline (short cache, breaker, retry, timeout), its failures audited.
 */
import { defineSubgraph, schemaBeside } from '../kit/subgraph.ts';
import { CORE_BANKING_API, createCoreBankingApi } from './connector.ts';
import { createBankingLoaders } from './loaders.ts';
import { bankingPermissions } from './permissions.ts';
import { bankingResolvers } from './resolvers.ts';
import { bankingSettings } from './settings.ts';

export const bankingSubgraph = defineSubgraph({
  settings: bankingSettings,
  schemaFile: schemaBeside(import.meta.url),
  permissions: bankingPermissions,
  async create({ config, upstream }) {
    const api = await createCoreBankingApi(config);
    const coreBanking = upstream({ api: CORE_BANKING_API, credentialScope: config.clientId, policy: config.policy });
    return {
      resolvers: bankingResolvers(),
      createLoaders: () => createBankingLoaders(api, coreBanking),
      close: () => api.close(),
    };
  },
});
