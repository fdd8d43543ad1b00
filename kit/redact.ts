/**
 * Redaction of audit details and the masks shared with the permission layer. Audit rows are
 * kept for years and read by auditors, so secrets never reach them and personal data only
 * in masked form. Redaction errs on the side of hiding: a false positive costs a little
 * context, a false negative leaks a credential.
 */

import { maskAccountNumber, maskEmail, maskPhone } from './mask-formats.ts';

export { maskAccountNumber, maskEmail, maskPhone };

export const REDACTED = '[REDACTED]';

/** Key names whose values are credentials (compared lower-case with `_`, `-` and spaces removed). */
const SECRET_KEY_PARTS = ['token', 'authorization', 'secret', 'password', 'passwd', 'passphrase', 'cookie', 'signature', 'credential', 'apikey', 'privatekey', 'sessionid'];
const SECRET_KEYS = new Set(['key', 'auth', 'pwd', 'pin', 'cvv', 'cvc', 'otp', 'jwt', 'bearer']);
const ACCOUNT_KEY = /(account|card|iban|pan)(number|no)?$/;
const EMAIL_KEY = /e?mail(address)?$/;
const PHONE_KEY = /(phone|mobile|msisdn)(number)?$/;

/** True when a detail key names a credential (`apiKey`, `client_secret`, `X-Signature`, `key`...). */
export function isSecretKey(key: string): boolean {
  const flat = key.toLowerCase().replace(/[\s_-]/g, '');
  if (SECRET_KEYS.has(flat) || SECRET_KEY_PARTS.some((part) => flat.includes(part))) return true;
  // `signingKey`, `private_key`, `X-Api-Key` end in the word "key"; `monkey` and `keyboard` do not.
  const lastWord = key.split(/[\s_.-]+|(?<=[a-z0-9])(?=[A-Z])/).pop()?.toLowerCase();
  return lastWord === 'key' || lastWord === 'keys';
}

// Order matters: credentials first (a JWT holds digit runs), then e-mails, cards, phones, digit runs.
const STRING_RULES: ReadonlyArray<readonly [RegExp, (match: string) => string]> = [
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]+=*/gi, (match) => `${match.split(/\s/)[0]} ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*)?/g, () => REDACTED],
  [/\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]+/g, () => REDACTED],
  [/\bwhsec_[A-Za-z0-9]+/g, () => REDACTED],
  [/\bSG\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)?/g, () => REDACTED],
  // password=..., api_key: ..., client_secret="..." in query strings, forms, logs.
  [/\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?token|client[_-]?secret)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&,;]+)/gi, (match) => match.replace(/([=:]\s*).*$/s, `$1${REDACTED}`)],
  // Any address, a dotless host too (jane@localhost).
  [/[A-Za-z0-9._%+-]+@[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)*/g, maskEmail],
  // IBANs (DE89 3704 0044 0532 0130 00, or unspaced).
  [/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, maskAccountNumber],
  // US social security numbers.
  [/(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/g, (match) => `***-**-${match.slice(-4)}`],
  // Card-like groups (4242 4242 4242 4242) before phones, which would take their tail.
  [/(?<![\w-])\d{4}(?:[ -]\d{4}){2,4}(?![\w-])/g, maskAccountNumber],
  // Four or more groups of digits (123 456 789 012), nine digits or more in all; not a phone's +44 20 7946 0958.
  [/(?<![\w+(-])\d{2,}(?:[ -]\d{2,}){3,}(?![\w-])/g, (match) => (match.replace(/\D/g, '').length >= 9 ? maskAccountNumber(match) : match)],
  // +15551234567, +44 20 7946 0958, (555) 123-4567, 555-123-4567, 555.123.4567
  [/(?<![\w+.-])\+\d{8,15}(?![\w-])/g, maskPhone],
  [/(?<![\w.-])(\+\d{1,3}[\s.-]?)?(\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}(?![\w-])/g, maskPhone],
  // Bare runs of 8+ digits (account numbers); not inside UUIDs or words.
  [/(?<![\w-])\d{8,}(?![\w-])/g, maskAccountNumber],
];

/** Replaces credentials, e-mails, phone numbers and account numbers found inside free text. */
export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replace] of STRING_RULES) result = result.replace(pattern, replace);
  return result;
}

const MAX_DEPTH = 20;

/**
 * A JSON-safe deep copy of `details` with secrets replaced by `[REDACTED]` and personal data
 * masked. Never throws: cycles, functions and oversized depth become markers.
 */
export function redactDetails(details: Record<string, unknown>): Record<string, unknown> {
  const copy = redactValue(details, undefined, 0, new WeakSet());
  return copy && typeof copy === 'object' && !Array.isArray(copy) ? (copy as Record<string, unknown>) : {};
}

function redactValue(value: unknown, key: string | undefined, depth: number, seen: WeakSet<object>): unknown {
  if (key !== undefined && isSecretKey(key) && value !== null && value !== undefined && value !== '') return REDACTED;
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return redactByKey(value, key) ?? redactText(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return redactByKey(String(value), key) ?? value;
  }
  if (typeof value === 'bigint') return redactByKey(value.toString(), key) ?? redactText(value.toString());
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_DEPTH) return '[TRUNCATED]';
  if (seen.has(value)) return '[CIRCULAR]';
  seen.add(value);
  try {
    if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
    if (Array.isArray(value)) return value.map((item) => redactValue(item, undefined, depth + 1, seen) ?? null);
    const copy: Record<string, unknown> = {};
    for (const [innerKey, inner] of Object.entries(value)) {
      const redacted = redactValue(inner, innerKey, depth + 1, seen);
      if (redacted !== undefined) copy[innerKey] = redacted;
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}

/** Masks a scalar by what its key says it is (an `email` field, a `phone`, an `accountNumber`). */
function redactByKey(text: string, key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  const flat = key.toLowerCase().replace(/[\s_-]/g, '');
  if (EMAIL_KEY.test(flat) && text.includes('@')) return maskEmail(text);
  if (PHONE_KEY.test(flat) && /\d/.test(text)) return maskPhone(text);
  if (ACCOUNT_KEY.test(flat) && /\d{4}/.test(text)) return maskAccountNumber(text);
  return undefined;
}
