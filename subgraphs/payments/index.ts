/**
 * The payments subgraph: wires the Stripe connector into the kit's pipeline (cache 60 s,
 * breaker, outbound quota shared through Redis, retry honouring Retry-After) and takes
 * Stripe's signed webhooks to invalidate what changed.
 */
import { createCache } from '../kit/cache.ts';
import { fingerprint } from '../kit/fingerprint.ts';
import { createQuota } from '../kit/quota.ts';
import type { SubgraphFactory } from '../kit/subgraph.ts';
import { Upstream } from '../kit/upstream.ts';
import { auditUpstreamFailure, auditUpstreamHealth } from '../kit/upstream-audit.ts';
import { createStripeApi, STRIPE_API } from './connector.ts';
import { PaymentData, type PaymentLoaders } from './loaders.ts';
import { paymentPermissions } from './permissions.ts';
import { paymentResolvers } from './resolvers.ts';
import { stripeWebhookRoute } from './webhooks.ts';

export const SERVICE = 'payments';

export const createPaymentsSubgraph: SubgraphFactory<PaymentLoaders> = async ({ settings, audit }) => {
  const config = settings.stripe;
  const cache = createCache(settings, SERVICE);
  const upstream = new Upstream({
    api: STRIPE_API,
    // Which account the answers belong to, without the key itself.
    credentialScope: fingerprint(config.secretKey),
    policy: config.policy,
    cache,
    quota: createQuota({ api: STRIPE_API, perMinute: config.policy.quotaPerMinute, windowMs: config.policy.quotaWindowMs, redisUrl: settings.redisUrl, keyPrefix: settings.keyPrefix }),
    onFailure: auditUpstreamFailure(audit, SERVICE),
  });
  auditUpstreamHealth(upstream.health, STRIPE_API, audit, SERVICE);
  const data = new PaymentData(createStripeApi(config), upstream, cache);

  return {
    resolvers: paymentResolvers,
    permissions: paymentPermissions,
    createLoaders: () => data.createLoaders(),
    routes: [stripeWebhookRoute({ secrets: config.webhookSecrets, audit, service: SERVICE, onChange: (change) => data.invalidate(change) })],
    async close() {
      await cache.disconnect();
    },
  };
};
