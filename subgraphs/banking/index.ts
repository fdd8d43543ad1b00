/**
 * The banking subgraph: wires the core banking connector (mutual TLS, OAuth2, API key) into
 * the kit's pipeline (short cache, breaker, retry, timeout) and audits its failures.
 */
import { createCache } from '../kit/cache.ts';
import { schemaBeside, type SubgraphEntry, type SubgraphFactory } from '../kit/subgraph.ts';
import { Upstream } from '../kit/upstream.ts';
import { CORE_BANKING_API, createCoreBankingApi } from './connector.ts';
import { createBankingLoaders, type BankingLoaders } from './loaders.ts';
import { bankingPermissions } from './permissions.ts';
import { bankingResolvers } from './resolvers.ts';

export const SERVICE = 'banking';

const createBankingSubgraph: SubgraphFactory<BankingLoaders> = async ({ settings, audit }) => {
  const config = settings.coreBanking;
  const api = await createCoreBankingApi(config);
  const cache = createCache(settings, SERVICE);
  const upstream = new Upstream({
    api: CORE_BANKING_API,
    credentialScope: config.clientId,
    policy: config.policy,
    cache,
    shared: settings,
    audit: { sink: audit, service: SERVICE },
  });

  return {
    resolvers: bankingResolvers(),
    createLoaders: () => createBankingLoaders(api, upstream),
    async close() {
      await api.close();
      await cache.disconnect();
    },
  };
};

export const bankingSubgraph: SubgraphEntry<BankingLoaders> = {
  name: SERVICE,
  schemaFile: schemaBeside(import.meta.url),
  port: (settings) => settings.ports.banking,
  permissions: bankingPermissions,
  create: createBankingSubgraph,
};
