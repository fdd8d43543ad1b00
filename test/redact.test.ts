import { mask } from '../kit/masking.ts';
import { maskAccountNumber, maskEmail, maskPhone, redactDetails } from '../kit/redact.ts';

test('masks keep the agreed formats', () => {
  expect(maskEmail('john@example.com')).toBe('j***@example.com');
  expect(maskPhone('+1 (555) 123-1234')).toBe('***-***-1234');
  expect(maskAccountNumber('DE89 3704 0044 0532 0130 00')).toBe('****-****-****-3000');
  expect(maskAccountNumber('12')).toBe('****-****-****-****');
});

test('redactDetails hides secrets by key and by shape, and leaves ordinary data alone', () => {
  const input = {
    apiKey: 'k1',
    api_key: 'k2',
    Authorization: 'Basic dXNlcjpwYXNz',
    nested: { client_secret: 's', access_token: 't', cookie: 'c', list: [{ password: 'p' }] },
    signature: 't=1,v1=abc',
    note: 'Bearer abc.def sk_test_123 SG.abc.def eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
    contact: 'mail ann@example.org, call 555-123-4567, account 12345678',
    id: '123e4567-e89b-12d3-a456-426614174000',
    at: '2025-01-02T03:04:05.000Z',
    count: 3,
    keyboard: 'qwerty',
    missing: undefined,
  };
  const output = redactDetails(input);
  expect(output).toEqual({
    apiKey: '[REDACTED]',
    api_key: '[REDACTED]',
    Authorization: '[REDACTED]',
    nested: { client_secret: '[REDACTED]', access_token: '[REDACTED]', cookie: '[REDACTED]', list: [{ password: '[REDACTED]' }] },
    signature: '[REDACTED]',
    note: 'Bearer [REDACTED] [REDACTED] [REDACTED] [REDACTED]',
    contact: 'mail a***@example.org, call ***-***-4567, account ****-****-****-5678',
    id: '123e4567-e89b-12d3-a456-426614174000',
    at: '2025-01-02T03:04:05.000Z',
    count: 3,
    keyboard: 'qwerty',
  });
  expect(input.apiKey).toBe('k1'); // a copy, the input is untouched
});

test('redactDetails survives cycles and exotic values', () => {
  const cyclic: Record<string, unknown> = { when: new Date(0), big: 10n, fn: () => 1 };
  cyclic.self = cyclic;
  expect(redactDetails(cyclic)).toEqual({ when: '1970-01-01T00:00:00.000Z', big: '10', self: '[CIRCULAR]' });
});

test('free-text masking hides what prose quotes and leaves the rest', () => {
  expect(mask('freeText', '550 5.1.1 <jane.doe@example.com>: Recipient address rejected')).toBe('550 5.1.1 <j***@example.com>: Recipient address rejected');
  expect(mask('freeText', 'Call +1-555-010-1234 about card 4242 4242 4242 4242')).toBe('Call ***-***-1234 about card ****-****-****-4242');
  expect(mask('freeText', 'Monthly plan, March')).toBe('Monthly plan, March');
});

test.each([
  ['an IBAN', 'refund to DE89370400440532013000 today', 'refund to ****-****-****-3000 today'],
  ['a spaced IBAN', 'IBAN DE89 3704 0044 0532 0130 00', 'IBAN ****-****-****-3000'],
  ['a US SSN', 'ssn 123-45-6789 on file', 'ssn ***-**-6789 on file'],
  ['a password in a query string', '/login?user=ann&password=hunter2&next=/', '/login?user=ann&password=[REDACTED]&next=/'],
  ['a quoted secret', 'client_secret: "s3cr3t value"', 'client_secret: [REDACTED]'],
  ['an address on a dotless host', 'from jane@localhost', 'from j***@localhost'],
  ['long digit groups', 'account 123 456 789 012', 'account ****-****-****-9012'],
])('redactText masks %s', (_shape, text, expected) => {
  expect(redactDetails({ text }).text).toBe(expected);
});

test('a User-Agent carrying personal data is masked like any free text', () => {
  expect(redactDetails({ userAgent: 'curl/8.0 (ops jane@localhost; SSN 123-45-6789)' })).toEqual({ userAgent: 'curl/8.0 (ops j***@localhost; SSN ***-**-6789)' });
});
