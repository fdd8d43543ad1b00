/**
 * Ends each request's audit (one SENSITIVE_READ per entity read) and reports to the gateway
 * how long the answer may be kept (kit/response-report.ts): the shortest fresh lifetime of
 * the upstreams this subgraph wraps. Nothing is to be kept from a subgraph without an
 * upstream policy (the audit log changes with every request), from one whose upstream
 * caches nothing (TTL 0), while an upstream is down, or when the request was served an
 * expired entry: such answers may be stale, with a banner that must go as soon as the
 * upstream is back.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { UpstreamPolicy } from '../../config/upstream-policy.ts';
import type { UpstreamHealth } from '../../kit/health.ts';
import { RESPONSE_REPORT_EXTENSION, type ResponseReport } from '../../kit/response-report.ts';
import { currentScope } from '../../kit/service-scope.ts';
import type { SubgraphContext } from './context.ts';

export interface ReportedUpstream {
  readonly policy: Pick<UpstreamPolicy, 'cacheTtlMs'>;
  readonly health: Pick<UpstreamHealth, 'state'>;
}

/** How long an answer built now may be kept, given the subgraph's upstreams. */
export function keepForMs(upstreams: readonly ReportedUpstream[]): number {
  if (upstreams.length === 0 || upstreams.some((upstream) => !upstream.health.state.up)) return 0;
  return Math.min(...upstreams.map((upstream) => upstream.policy.cacheTtlMs));
}

export function responseReportPlugin(upstreams: readonly ReportedUpstream[]): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          // Ends the request's audit: its events are handed over before the answer leaves.
          const audited = (await contextValue.audited?.end()) ?? [];
          if (response.body.kind !== 'single') return;
          // An answer with a stale part is not kept, whatever the upstreams' health says now.
          const stale = currentScope()?.request?.access.staleServed === true;
          const report: ResponseReport = { keepForMs: stale ? 0 : keepForMs(upstreams), audited };
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [RESPONSE_REPORT_EXTENSION]: report };
        },
      };
    },
  };
}
