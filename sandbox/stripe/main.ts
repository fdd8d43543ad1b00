/** Runs the Stripe sandbox on its own: `node sandbox/stripe/main.ts` (STRIPE_PORT, STRIPE_SECRET_KEY). */
import { loadSettings } from '../../config/settings.ts';
import { stopOnSignal } from '../../kit/lifecycle.ts';
import { stripeOptions } from '../options.ts';
import { startStripe } from './server.ts';

const sandbox = await startStripe(stripeOptions(loadSettings()));
stopOnSignal(() => sandbox.close());
console.log(`Stripe sandbox listening on ${sandbox.url}`);
