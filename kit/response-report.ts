/**
 * What a subgraph tells the gateway about its answer, for the gateway's response cache
 * (gateway/response-cache/): how long the answer may be kept, and the audit events
 * the request wrote (SENSITIVE_READ, FORBIDDEN), so a cached answer can write them again for the caller it serves. It
 * travels as a response extension, which the gateway takes off before anything reaches the
 * caller (@apollo/gateway drops subgraph extensions anyway).
 */
import type { AuditEventInput } from './audit-event.ts';

export const RESPONSE_REPORT_EXTENSION = 'responseReport';

export interface ResponseReport {
  /** How long the answer may be kept, in ms; 0: not at all. */
  keepForMs: number;
  /** The events the request audited (SENSITIVE_READ, FORBIDDEN), as emitted (the actor is replaced on replay). */
  audited: AuditEventInput[];
}

export function isResponseReport(value: unknown): value is ResponseReport {
  const report = value as Partial<ResponseReport> | null;
  return typeof report === 'object' && report !== null && typeof report.keepForMs === 'number' && Array.isArray(report.audited);
}
