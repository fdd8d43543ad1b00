/** The Stripe sandbox stands in for the payments subgraph's upstream, with the subgraph's key. */
import { paymentsSettings } from '../../subgraphs/payments/settings.ts';
import { defineStandIn, faultsOf } from '../kit/stand-in.ts';
import { startStripe } from './server.ts';

export const stripeStandIn = defineStandIn({
  name: 'stripe',
  portSetting: 'STRIPE_PORT',
  title: 'Stripe',
  subgraph: paymentsSettings,
  port: (config) => config.sandboxPort,
  start: (config, options) => startStripe({ host: options.host, port: options.port, secretKey: config.secretKey, ...faultsOf(options) }),
  pointAt: (running) => ({ STRIPE_URL: running.url }),
});
