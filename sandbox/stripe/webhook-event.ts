/**
 * Stripe webhook deliveries for tests and demos: an Event envelope around an object and the
 * `Stripe-Signature` header (`t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`) that
 * stripe.webhooks.constructEvent accepts.
 */
import { randomBytes } from 'node:crypto';
import { signWebhook } from '../../kit/webhook-signature.ts';

/** The API version stamped on sandbox events (the one stripe v23 pins). */
export const SANDBOX_EVENT_API_VERSION = '2026-10-28.endive';

/** A Stripe Event object (`charge.succeeded`, `customer.subscription.updated`, ...). */
export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: Record<string, unknown> & { object: string }; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

/** Wraps `object` in an Event of `type`, created now. */
export function stripeEvent(type: string, object: Record<string, unknown> & { object: string }, createdSeconds = Math.floor(Date.now() / 1000)): StripeEvent {
  return {
    id: `evt_${randomBytes(12).toString('hex')}`,
    object: 'event',
    api_version: SANDBOX_EVENT_API_VERSION,
    created: createdSeconds,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** The raw body to POST and its `Stripe-Signature` header value. */
export function signStripeEvent(secret: string, event: StripeEvent | object, unixSeconds?: number): { body: string; header: string } {
  const body = JSON.stringify(event);
  return { body, header: signWebhook(secret, body, unixSeconds) };
}
