/**
 * The hash chain: each row's hash covers the previous row's hash and the event's content, so
 * changing, removing or reordering a row breaks every link after it.
 *   hash = sha256_hex(prev_hash + "\n" + canonicalJson(content))
 */
import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../../kit/audit-event.ts';

/** prev_hash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so equal content always hashes alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, inner]) => inner !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
}

export function hashEvent(prevHash: string, event: AuditEvent): string {
  const content = {
    id: event.id,
    at: event.at,
    type: event.type,
    actor: event.actor,
    service: event.service,
    entityType: event.entityType,
    entityId: event.entityId,
    action: event.action,
    outcome: event.outcome,
    details: event.details,
  };
  return createHash('sha256').update(`${prevHash}\n${canonicalJson(content)}`).digest('hex');
}
