/**
 * A webhook route signed in the `t=..,v1=..` form (webhook-signature.ts): a valid signature
 * hands the parsed event over; a missing, malformed, stale or wrong one is refused with 401,
 * audited, and changes nothing.
 */
import { errorBody, ErrorCode } from '../../kit/errors.ts';
import type { PlainRoute } from '../../kit/http-server.ts';
import { verifyWebhook } from '../../kit/webhook-signature.ts';

export interface SignedWebhookOptions<E> {
  path: string;
  /** The header with the signature, lower case as node:http names headers (`stripe-signature`). */
  signatureHeader: string;
  /** Every accepted secret (several while one rotates). */
  secrets: readonly string[];
  /** Who sends the webhooks: the audit actor and the name in the audited action. */
  sender: string;
  service: string;
  /** The event in a signed body; undefined when the body is not an event (400). */
  parse(body: string): E | undefined;
  /** What a well-formed body looks like, for the 400 message. */
  expected: string;
  onEvent(event: E): Promise<void>;
}

export function signedWebhookRoute<E>(options: SignedWebhookOptions<E>): PlainRoute {
  return {
    method: 'POST',
    path: options.path,
    async handle(request) {
      const header = request.headers[options.signatureHeader];
      const verdict = verifyWebhook(Array.isArray(header) ? header[0] : header, request.body, options.secrets);
      if (verdict !== 'valid') {
        // Audited under the sender address's refusal cap: a flood of bad signatures is one summary row.
        const withinCap = await request.refused({
          type: 'WEBHOOK_REJECTED',
          actor: options.sender,
          service: options.service,
          action: `receive ${options.sender} webhook`,
          outcome: 'DENIED',
          details: { reason: verdict },
        });
        if (!withinCap) return { status: 429, body: errorBody(ErrorCode.RATE_LIMITED, 'Too many refused webhooks from this address.') };
        return { status: 401, body: errorBody(ErrorCode.UNAUTHENTICATED, `Signature ${verdict}.`) };
      }
      const event = options.parse(request.body);
      if (event === undefined) return { status: 400, body: errorBody(ErrorCode.BAD_REQUEST, `Expected ${options.expected}.`) };
      await options.onEvent(event);
      return { status: 200, body: { received: true } };
    },
  };
}
