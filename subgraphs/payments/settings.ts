/**
 * The payments subgraph's settings: Stripe, with a secret key and signed webhooks (one or
 * more secrets, for rotation). Defaults point at the Stripe sandbox and its made-up key.
 */
import { defineSubgraphSettings, type SettingsOf } from '../../config/subgraph-settings.ts';
import { readPolicy, SECOND } from '../../config/upstream-policy.ts';

export const paymentsSettings = defineSubgraphSettings({
  name: 'payments',
  port: 4002,
  read: (env, { local }) => {
    const sandboxPort = env.int('STRIPE_PORT', 4102, { min: 0, max: 65535 });
    return {
      sandboxPort,
      url: env.url('STRIPE_URL', local(sandboxPort)),
      // The sandbox's made-up test key (sandbox/stripe/server.ts checks it).
      secretKey: env.secret('STRIPE_SECRET_KEY', 'sk_test_sandbox_51PlantOpsLocalDevKey0000000000'),
      /** Every secret a `Stripe-Signature` may be made with; two while one rotates. */
      webhookSecrets: env.list('STRIPE_WEBHOOK_SECRETS', ['whsec_plantops_local_dev_secret']),
      policy: readPolicy(env, 'STRIPE', { cacheTtlMs: 60 * SECOND, quotaPerMinute: 100 }),
    };
  },
  requiredInProduction: ['STRIPE_URL', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRETS'],
  upstreamUrls: (settings) => ({ STRIPE_URL: settings.url }),
});

export type PaymentsSettings = SettingsOf<typeof paymentsSettings>;
