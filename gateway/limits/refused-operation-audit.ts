/**
 * One REQUEST_REFUSED audit event per request refused by a limit (cost, aliases, trusted
 * documents, ...): which limit, its value and what was found; never the operation itself.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { recipientsSink, type AuditSink } from '../../kit/request-audit.ts';
import type { GatewayContext } from '../context.ts';

export function refusedOperationAudit(audit: AuditSink, service: string): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          const refusal = errors.find((error) => typeof error.extensions.limit === 'string');
          // The parser's token limit says so in its message only.
          const tokens = errors.some((error) => /contains more tha[nt] \d+ tokens/.test(error.message));
          if (!refusal && !tokens) return;
          const { limit, max, found } = refusal?.extensions ?? { limit: 'tokens' };
          // A grouped alert fan-out's query is refused for every subscriber it serves.
          recipientsSink(audit, contextValue.caller).emit({
            type: 'REQUEST_REFUSED',
            actor: contextValue.caller?.subject ?? 'anonymous',
            service,
            action: `refuse an operation over the ${String(limit)} limit`,
            outcome: 'DENIED',
            details: { limit, max: max ?? null, found: found ?? null, operationName: operationName ?? null },
          });
        },
      };
    },
  };
}
