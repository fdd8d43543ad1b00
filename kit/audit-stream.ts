/** Names shared by the audit emitters and the audit consumer on Redis. */

/** Redis Stream the emitters XADD to (after the deployment's key prefix); each entry has one field, `event`, holding the JSON. */
export const AUDIT_STREAM_KEY = 'audit:events';

export function auditStreamKey(keyPrefix = ''): string {
  return `${keyPrefix}${AUDIT_STREAM_KEY}`;
}
export const AUDIT_STREAM_FIELD = 'event';
/** Consumer group of the audit store. */
export const AUDIT_CONSUMER_GROUP = 'audit-store';
