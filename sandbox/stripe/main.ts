/**
 * Runs the Stripe sandbox on its own: `node sandbox/stripe/main.ts`.
 * STRIPE_PORT (default 4102) and STRIPE_SECRET_KEY (default the sandbox test key).
 */
import { loadSettings } from '../../config/settings.ts';
import { startStripe, STRIPE_SANDBOX_SECRET_KEY } from './server.ts';

const settings = loadSettings();
const sandbox = await startStripe({
  host: settings.host,
  port: settings.ports.stripe,
  secretKey: process.env.STRIPE_SECRET_KEY || STRIPE_SANDBOX_SECRET_KEY,
});
console.log(`Stripe sandbox listening on ${sandbox.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
