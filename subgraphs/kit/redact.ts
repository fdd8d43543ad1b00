/** Placeholder until the audit work lands its redaction: drops secret-looking keys. */
const SECRET_KEY = /token|secret|password|authorization|api[_-]?key|cookie|signature/i;

export function redactDetails(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).map(([key, value]) => [key, SECRET_KEY.test(key) ? '[REDACTED]' : value]));
}
