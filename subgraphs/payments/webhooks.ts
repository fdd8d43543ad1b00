/**
 * Stripe's webhook (`Stripe-Signature: t=..,v1=..`, several v1 values and secrets while one
 * rotates, 5 minutes' tolerance): a valid event invalidates what it touched; a bad or stale
 * signature is refused with 401, audited, and changes nothing (kit/webhook-route.ts).
 */
import type { PlainRoute } from '../../kit/http-server.ts';
import { signedWebhookRoute } from '../kit/webhook-route.ts';
import type { StripeChange } from './loaders.ts';

export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

export function stripeWebhookRoute(options: {
  secrets: readonly string[];
  service: string;
  onChange: (change: StripeChange) => Promise<void>;
}): PlainRoute {
  return signedWebhookRoute({
    path: STRIPE_WEBHOOK_PATH,
    signatureHeader: 'stripe-signature',
    secrets: options.secrets,
    sender: 'stripe',
    service: options.service,
    parse: parseEvent,
    expected: 'a Stripe event {id, object:"event", type, data:{object:{id, object}}}',
    onEvent: options.onChange,
  });
}

/** What an Event names: its object's type and id (`customer.subscription.*` carries a subscription). */
function parseEvent(body: string): StripeChange | undefined {
  try {
    const event = JSON.parse(body) as { object?: unknown; type?: unknown; data?: { object?: { id?: unknown; object?: unknown } } };
    const object = event.data?.object;
    if (event.object !== 'event' || typeof event.type !== 'string' || !object || typeof object.object !== 'string') return undefined;
    return { objectType: object.object, objectId: typeof object.id === 'string' ? object.id : undefined };
  } catch {
    return undefined;
  }
}
