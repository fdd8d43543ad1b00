/**
 * The audit events every subgraph emits about its upstream: each failed call
 * (UPSTREAM_ERROR, the Upstream's onFailure hook) and each change of its health
 * (UPSTREAM_DOWN / UPSTREAM_RESTORED).
 */
import type { AuditSink } from './context.ts';
import type { UpstreamHealth } from '../../kit/health.ts';
import type { UpstreamError } from './upstream-error.ts';

/** An onFailure hook for UpstreamOptions that audits the failure as the subgraph's system actor. */
export function auditUpstreamFailure(audit: AuditSink, service: string): (error: UpstreamError) => void {
  return (error) =>
    audit.emit({
      type: 'UPSTREAM_ERROR',
      actor: `system:${service}`,
      service,
      action: `call ${error.api}`,
      outcome: 'FAILURE',
      details: { api: error.api, failure: error.failure, status: error.status ?? null },
    });
}

/** Audits every transition of an upstream's health. */
export function auditUpstreamHealth(health: UpstreamHealth, api: string, audit: AuditSink, service: string): void {
  health.onChange(({ up, since, first }) => {
    // Up at the first observation is no transition: nothing to record.
    if (first && up) return;
    audit.emit({
      type: up ? 'UPSTREAM_RESTORED' : 'UPSTREAM_DOWN',
      actor: `system:${service}`,
      service,
      action: up ? `${api} restored` : `${api} down`,
      outcome: up ? 'SUCCESS' : 'FAILURE',
      details: { api, since: since.toISOString() },
    });
  });
}
