/**
 * The Stripe sandbox: Stripe's v1 read API over a deterministic seed, behind secret-key
 * auth, inside the shared sandbox shell (admin surface and fault injection).
 */
import { startSandbox, type Faults, type RunningSandbox } from '../kit/sandbox-server.ts';
import { createStripeData, type StripeData } from './data.ts';
import { stripeShellErrorBody } from './errors.ts';
import { stripeRoutes } from './routes.ts';

/** The secret key dev and tests use by default; a made-up test-mode key, not a real one. */
export const STRIPE_SANDBOX_SECRET_KEY = 'sk_test_sandbox_51PlantOpsLocalDevKey0000000000';

export interface StripeSandboxOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** The one secret key the sandbox accepts. */
  secretKey: string;
  faults?: Partial<Faults>;
  /** Seed to serve (defaults to `createStripeData()` for the current day). */
  data?: StripeData;
}

/** Starts the Stripe sandbox; point a Stripe client at its `url`. */
export function startStripe(options: StripeSandboxOptions): Promise<RunningSandbox> {
  const data = options.data ?? createStripeData();
  return startSandbox({
    name: 'stripe',
    ...(options.host ? { host: options.host } : {}),
    port: options.port,
    routes: stripeRoutes(data, options.secretKey),
    ...(options.faults ? { faults: options.faults } : {}),
    errorBody: stripeShellErrorBody,
  });
}
