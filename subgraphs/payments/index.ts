/**
 * The payments subgraph: wires the Stripe connector into the kit's pipeline (cache 60 s,
 * breaker, outbound quota shared through Redis, retry honouring Retry-After) and takes
 * Stripe's signed webhooks to invalidate what changed.
 */
import { createCache } from '../kit/cache.ts';
import { fingerprint } from '../kit/fingerprint.ts';
import { schemaBeside, type SubgraphEntry, type SubgraphFactory } from '../kit/subgraph.ts';
import { Upstream } from '../kit/upstream.ts';
import { createStripeApi, STRIPE_API } from './connector.ts';
import { PaymentData, type PaymentLoaders } from './loaders.ts';
import { paymentPermissions } from './permissions.ts';
import { paymentResolvers } from './resolvers.ts';
import { stripeWebhookRoute } from './webhooks.ts';

export const SERVICE = 'payments';

const createPaymentsSubgraph: SubgraphFactory<PaymentLoaders> = async ({ settings, audit }) => {
  const config = settings.stripe;
  const cache = createCache(settings, SERVICE);
  const upstream = new Upstream({
    api: STRIPE_API,
    // Which account the answers belong to, without the key itself.
    credentialScope: fingerprint(config.secretKey),
    policy: config.policy,
    cache,
    shared: settings,
    audit: { sink: audit, service: SERVICE },
  });
  const data = new PaymentData(createStripeApi(config), upstream, cache);

  return {
    resolvers: paymentResolvers,
    createLoaders: () => data.createLoaders(),
    routes: [stripeWebhookRoute({ secrets: config.webhookSecrets, service: SERVICE, onChange: (change) => data.invalidate(change) })],
    async close() {
      await cache.disconnect();
    },
  };
};

export const paymentsSubgraph: SubgraphEntry<PaymentLoaders> = {
  name: SERVICE,
  schemaFile: schemaBeside(import.meta.url),
  port: (settings) => settings.ports.payments,
  permissions: paymentPermissions,
  create: createPaymentsSubgraph,
};
