/**
 * Signed webhooks in the `t=<unix>,v1=<hex>` form used by the Plant API and Stripe:
 * v1 = HMAC-SHA256(secret, "<t>.<raw body>"). Several v1 values may be present while a
 * signing secret rotates; any one matching is enough.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type SignatureVerdict = 'valid' | 'malformed' | 'stale' | 'mismatch';

export function signWebhook(secret: string, body: string, unixSeconds = Math.floor(Date.now() / 1000)): string {
  return `t=${unixSeconds},v1=${digest(secret, unixSeconds, body)}`;
}

/**
 * Checks a signature header against a raw body with one or more accepted secrets.
 * Comparison is constant-time; a timestamp outside the tolerance is `stale`.
 */
export function verifyWebhook(
  header: string | undefined,
  body: string,
  secrets: readonly string[],
  { toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS, nowSeconds = Math.floor(Date.now() / 1000) } = {},
): SignatureVerdict {
  if (!header) return 'malformed';
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2);
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) return 'malformed';
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return 'stale';
  for (const secret of secrets) {
    const expected = Buffer.from(digest(secret, timestamp, body), 'hex');
    if (signatures.some((candidate) => timingSafeEqual(candidate, expected))) return 'valid';
  }
  return 'mismatch';
}

function digest(secret: string, unixSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
}
