/**
 * The payments subgraph: the Stripe connector through the kit's pipeline (cache 60 s,
 * breaker, outbound quota shared through Redis, retry honouring Retry-After), and Stripe's
 * signed webhooks to invalidate what changed.
 */
import { fingerprint } from '../kit/fingerprint.ts';
import { defineSubgraph, schemaBeside } from '../kit/subgraph.ts';
import { createStripeApi, STRIPE_API } from './connector.ts';
import { changedEntities, PaymentData } from './loaders.ts';
import { paymentPermissions } from './permissions.ts';
import { paymentResolvers } from './resolvers.ts';
import { paymentsSettings } from './settings.ts';
import { stripeWebhookRoute } from './webhooks.ts';

export const paymentsSubgraph = defineSubgraph({
  settings: paymentsSettings,
  schemaFile: schemaBeside(import.meta.url),
  permissions: paymentPermissions,
  async create({ config, cache, upstream, announceChanges }) {
    // Which account the answers belong to, without the key itself.
    const stripe = upstream({ api: STRIPE_API, credentialScope: fingerprint(config.secretKey), policy: config.policy });
    const data = new PaymentData(createStripeApi(config), stripe, cache);
    return {
      resolvers: paymentResolvers,
      createLoaders: () => data.createLoaders(),
      routes: [
        stripeWebhookRoute({
          secrets: config.webhookSecrets,
          service: paymentsSettings.name,
          onChange: async (change) => {
            await data.invalidate(change);
            await announceChanges(changedEntities(change));
          },
        }),
      ],
    };
  },
});
