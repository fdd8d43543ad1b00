/**
 * The email-stats subgraph: wires the SendGrid connector into the kit's pipeline (cache
 * 300 s, breaker, retry, outbound quota shared through Redis) behind a gate that follows
 * SendGrid's own X-RateLimit-* window.
 */
import { createCache } from '../kit/cache.ts';
import { fingerprint } from '../kit/fingerprint.ts';
import { rateLimitGate } from '../kit/rate-limit-gate.ts';
import { schemaBeside, type SubgraphEntry, type SubgraphFactory } from '../kit/subgraph.ts';
import { Upstream } from '../kit/upstream.ts';
import { createSendGridApi, SENDGRID_API } from './connector.ts';
import { emailLoaders, type EmailLoaders } from './loaders.ts';
import { emailPermissions } from './permissions.ts';
import { emailResolvers } from './resolvers.ts';

export const SERVICE = 'email-stats';

const createEmailStatsSubgraph: SubgraphFactory<EmailLoaders> = async ({ settings, audit }) => {
  const config = settings.sendgrid;
  const cache = createCache(settings, SERVICE);
  const gate = rateLimitGate({ api: SENDGRID_API });
  const upstream = new Upstream({
    api: SENDGRID_API,
    credentialScope: fingerprint(config.apiKey),
    policy: config.policy,
    cache,
    // SendGrid's announced window first, then our own budget.
    gate,
    shared: settings,
    audit: { sink: audit, service: SERVICE },
  });
  const api = createSendGridApi(config, gate);

  return {
    resolvers: emailResolvers,
    createLoaders: () => emailLoaders(api, upstream),
    async close() {
      await cache.disconnect();
    },
  };
};

export const emailStatsSubgraph: SubgraphEntry<EmailLoaders> = {
  name: SERVICE,
  schemaFile: schemaBeside(import.meta.url),
  port: (settings) => settings.ports.emailStats,
  permissions: emailPermissions,
  create: createEmailStatsSubgraph,
};
