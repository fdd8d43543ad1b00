/**
 * How the gateway calls a subgraph: the URL from settings (not the one composed into the
 * supergraph), the caller's own token forwarded so the subgraph verifies it again, and the
 * request id for correlating logs and audit events. A subgraph that cannot be reached nulls
 * its own fields with UPSTREAM_UNAVAILABLE; the rest of the response stands.
 */
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../kit/errors.ts';
import { logger } from '../kit/logger.ts';
import { injectTraceContext } from '../kit/tracing.ts';
import type { GatewayContext } from './context.ts';

export function subgraphSource(name: string, url: string): RemoteGraphQLDataSource<GatewayContext> {
  return new RemoteGraphQLDataSource<GatewayContext>({
    url,
    willSendRequest({ request, context }) {
      if (context.caller) request.http?.headers.set('authorization', `Bearer ${context.caller.token}`);
      if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
      injectTraceContext(request.http?.headers); // W3C traceparent, when tracing is on
    },
    didEncounterError(error, _request, response) {
      logger.warn('subgraph call failed', { subgraph: name, status: response?.status ?? null, error: error.message });
      if (response?.status === 401) {
        throw new GraphQLError('The bearer token was refused.', { extensions: { code: ErrorCode.UNAUTHENTICATED } });
      }
      throw new GraphQLError(`The ${name} service is unavailable.`, { extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE, service: name } });
    },
  });
}
