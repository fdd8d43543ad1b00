/**
 * Stripe's API-key authentication: the secret key as a Bearer token, or as the user name of
 * HTTP Basic auth with an empty password (what `curl -u sk_test_...:` sends).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { StripeRequestError } from './errors.ts';

/** The key a request presents, or undefined when it presents none. */
export function presentedSecretKey(headers: IncomingHttpHeaders): string | undefined {
  const header = String(headers.authorization ?? '').trim();
  const [scheme = '', credentials = ''] = header.split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer' && credentials) return credentials;
  if (scheme.toLowerCase() === 'basic' && credentials) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const user = decoded.split(':', 1)[0];
    return user || undefined;
  }
  return undefined;
}

/** Throws Stripe's 401 unless the request carries `secretKey`. */
export function requireSecretKey(headers: IncomingHttpHeaders, secretKey: string): void {
  const presented = presentedSecretKey(headers);
  // Stripe asks browsers for Basic credentials on 401s.
  const challenge = { 'WWW-Authenticate': 'Basic realm="Stripe"' };
  if (presented === undefined) {
    throw new StripeRequestError(
      401,
      {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      },
      challenge,
    );
  }
  if (!sameKey(presented, secretKey)) {
    throw new StripeRequestError(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${masked(presented)}` }, challenge);
  }
}

/** Constant-time comparison of two keys of any length (hashes have equal lengths). */
function sameKey(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** `sk_test_****************wxyz`, as Stripe echoes a wrong key. */
function masked(key: string): string {
  const prefix = /^[a-z]+_(test|live)_/.exec(key)?.[0] ?? '';
  const tail = key.length - prefix.length > 4 ? key.slice(-4) : '';
  return `${prefix}${'*'.repeat(Math.max(key.length - prefix.length - tail.length, 0))}${tail}`;
}
