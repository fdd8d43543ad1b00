/**
 * Stripe's error wire format, `{error:{type, code?, message, param?}}`, and the exception
 * handlers throw to answer with it (the route wrapper turns it into the response).
 */
import { json, type SandboxResponse } from '../kit/router.ts';

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

/** The `error` member of a Stripe error body. */
export interface StripeErrorDetails {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
}

/** Thrown by handlers; carries the HTTP status and Stripe error details. */
export class StripeRequestError extends Error {
  readonly status: number;
  readonly details: StripeErrorDetails;
  readonly headers: Record<string, string>;

  constructor(status: number, details: StripeErrorDetails, headers: Record<string, string> = {}) {
    super(details.message);
    this.status = status;
    this.details = details;
    this.headers = headers;
  }

  toResponse(): SandboxResponse {
    return json(this.status, { error: this.details }, this.headers);
  }
}

/** 400 for a bad parameter value (`code` as Stripe sets it, when it sets one). */
export function invalidParam(param: string, message: string, code?: string): StripeRequestError {
  return new StripeRequestError(400, { type: 'invalid_request_error', ...(code ? { code } : {}), message, param });
}

/** 404 `resource_missing`, e.g. "No such charge: 'ch_x'". */
export function resourceMissing(noun: string, id: string, param = 'id'): StripeRequestError {
  return new StripeRequestError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${noun}: '${id}'`, param });
}

/**
 * Error bodies for the answers the shared sandbox shell produces itself (injected faults,
 * unknown routes), in Stripe's format.
 */
export function stripeShellErrorBody(status: number, _code: string, message: string): { error: StripeErrorDetails } {
  if (status === 429) {
    return {
      error: {
        type: 'invalid_request_error',
        code: 'rate_limit',
        message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
      },
    };
  }
  if (status === 404) return { error: { type: 'invalid_request_error', message: `Unrecognized request URL. ${message}` } };
  return { error: { type: 'api_error', message } };
}
