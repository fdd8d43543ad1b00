/**
 * The audit event every producer emits and the audit store keeps. One shape from the request
 * path to the table, so a stored row can be hashed and compared with what was emitted.
 */
import { randomUUID } from 'node:crypto';

export const AUDIT_EVENT_TYPES = [
  'UPSTREAM_ERROR',
  'UPSTREAM_DOWN',
  'UPSTREAM_RESTORED',
  'AUTH_FAILURE',
  'FORBIDDEN',
  'SENSITIVE_READ',
  'MUTATION',
  'VALIDATION',
  'WEBHOOK_REJECTED',
  'PLANT_STATUS_CHANGED',
  /** A request refused by a limit before any work (cost, aliases, trusted documents, ...). */
  'REQUEST_REFUSED',
  /** Refusals from one address past its cap in a window, summed up in one event. */
  'REFUSALS_SUMMARY',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export const AUDIT_OUTCOMES = ['SUCCESS', 'FAILURE', 'DENIED'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Actor recorded when a request carried no identity. */
export const ANONYMOUS_ACTOR = 'anonymous';

/** One audit event as emitted, transported and stored. */
export interface AuditEvent {
  /** UUID chosen by the producer; the store keeps each id once (at-least-once delivery). */
  id: string;
  /** ISO-8601 instant the event happened. */
  at: string;
  type: AuditEventType;
  /** Subject of the request, or `anonymous`. */
  actor: string;
  /** Service that emitted the event. */
  service: string;
  entityType: string | null;
  entityId: string | null;
  action: string;
  outcome: AuditOutcome;
  /** Redacted, JSON-safe context. */
  details: Record<string, unknown>;
}

/** What a producer passes to `emit`: the emitter fills id, time, service, actor and defaults. */
export interface AuditEventInput {
  id?: string;
  at?: string;
  type: AuditEventType;
  actor?: string | null;
  service?: string;
  entityType?: string | null;
  entityId?: string | null;
  action: string;
  outcome: AuditOutcome;
  details?: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isAuditEventType(value: unknown): value is AuditEventType {
  return typeof value === 'string' && (AUDIT_EVENT_TYPES as readonly string[]).includes(value);
}

export function isAuditOutcome(value: unknown): value is AuditOutcome {
  return typeof value === 'string' && (AUDIT_OUTCOMES as readonly string[]).includes(value);
}

/** Completes an input into a full event (details are taken as given: redact before or after). */
export function completeAuditEvent(input: AuditEventInput, service: string): AuditEvent {
  return {
    id: input.id ?? randomUUID(),
    at: input.at ?? new Date().toISOString(),
    type: input.type,
    actor: input.actor || ANONYMOUS_ACTOR,
    service: input.service ?? service,
    entityType: input.entityType ?? null,
    entityId: input.entityId ?? null,
    action: input.action,
    outcome: input.outcome,
    details: input.details ?? {},
  };
}

/**
 * Checks untrusted data (a stream message, an outbox line) and returns it as an event in the
 * normal form the store hashes (lower-case id, millisecond UTC time), or an error message.
 */
export function parseAuditEvent(value: unknown): AuditEvent | string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not an object';
  const raw = value as Record<string, unknown>;
  if (typeof raw.id !== 'string' || !UUID.test(raw.id)) return `id ${JSON.stringify(raw.id)} is not a UUID`;
  const at = typeof raw.at === 'string' ? normalizeInstant(raw.at) : null;
  if (!at) return `at ${JSON.stringify(raw.at)} is not an ISO instant`;
  if (!isAuditEventType(raw.type)) return `type ${JSON.stringify(raw.type)} is unknown`;
  if (!isAuditOutcome(raw.outcome)) return `outcome ${JSON.stringify(raw.outcome)} is unknown`;
  for (const field of ['actor', 'service', 'action'] as const) {
    if (typeof raw[field] !== 'string' || raw[field] === '') return `${field} must be a non-empty string`;
  }
  for (const field of ['entityType', 'entityId'] as const) {
    if (raw[field] !== null && raw[field] !== undefined && typeof raw[field] !== 'string') return `${field} must be a string or null`;
  }
  const details = raw.details ?? {};
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return 'details must be an object';
  return {
    id: raw.id.toLowerCase(),
    at,
    type: raw.type,
    actor: raw.actor as string,
    service: raw.service as string,
    entityType: (raw.entityType as string | null | undefined) ?? null,
    entityId: (raw.entityId as string | null | undefined) ?? null,
    action: raw.action as string,
    outcome: raw.outcome,
    details: details as Record<string, unknown>,
  };
}

/** ISO text -> `YYYY-MM-DDTHH:mm:ss.sssZ` (what timestamptz gives back exactly), or null. */
export function normalizeInstant(text: string): string | null {
  const time = Date.parse(text);
  if (Number.isNaN(time)) return null;
  const iso = new Date(time).toISOString();
  return /^\d{4}-/.test(iso) && !iso.startsWith('0000') ? iso : null;
}
