/** Turns transported JSON text back into an event, re-redacting details on the way in. */
import { parseAuditEvent, type AuditEvent } from '../../../kit/audit-event.ts';
import { redactDetails } from '../../../kit/redact.ts';

/** The event, or why the text is not one. */
export function decodeAuditEvent(text: string): AuditEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const event = parseAuditEvent(value);
  if (typeof event === 'string') return event;
  // Producers that bypass the emitter still must not put secrets in the log.
  return { ...event, details: redactDetails(event.details) };
}
