/**
 * The email-stats subgraph: the SendGrid connector through the kit's pipeline (cache
 * 300 s, breaker, retry, outbound quota shared through Redis) behind a gate that follows
 * SendGrid's own X-RateLimit-* window.
 */
import { fingerprint } from '../kit/fingerprint.ts';
import { rateLimitGate } from '../kit/rate-limit-gate.ts';
import { defineSubgraph, schemaBeside } from '../kit/subgraph.ts';
import { createSendGridApi, SENDGRID_API } from './connector.ts';
import { emailLoaders } from './loaders.ts';
import { emailPermissions } from './permissions.ts';
import { emailResolvers } from './resolvers.ts';
import { emailStatsSettings } from './settings.ts';

export const emailStatsSubgraph = defineSubgraph({
  settings: emailStatsSettings,
  schemaFile: schemaBeside(import.meta.url),
  permissions: emailPermissions,
  async create({ config, upstream }) {
    const gate = rateLimitGate({ api: SENDGRID_API });
    // SendGrid's announced window first, then our own budget.
    const sendgrid = upstream({ api: SENDGRID_API, credentialScope: fingerprint(config.apiKey), policy: config.policy, gate });
    const api = createSendGridApi(config, gate);
    return { resolvers: emailResolvers, createLoaders: () => emailLoaders(api, sendgrid) };
  },
});
