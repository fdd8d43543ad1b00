/**
 * How the gateway calls a subgraph: the URL from settings (not the one composed into the
 * supergraph), an internal token signed for this request (the caller's subject, roles and
 * plan; subgraphs accept nothing else), and the request id for correlating logs and audit
 * events. A subgraph that cannot be reached nulls its own fields with UPSTREAM_UNAVAILABLE;
 * the rest of the response stands. Each answer's report for the response cache (how long it
 * may be kept, what it audited) is collected for the request and never passed on.
 */
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../kit/errors.ts';
import type { InternalTokens } from '../kit/internal-token.ts';
import { logger } from '../kit/logger.ts';
import { RESPONSE_REPORT_EXTENSION } from '../kit/response-report.ts';
import type { GatewayContext } from './context.ts';
import type { Fetcher } from './subgraph-fetcher.ts';

export function subgraphSource(name: string, url: string, tokens: Pick<InternalTokens, 'sign'>, fetcher: Fetcher): RemoteGraphQLDataSource<GatewayContext> {
  return new RemoteGraphQLDataSource<GatewayContext>({
    url,
    fetcher,
    async willSendRequest({ request, context }) {
      // One token per request, however many subgraphs it reaches.
      if (context.caller) request.http?.headers.set('authorization', `Bearer ${await (context.internalToken ??= tokens.sign(context.caller, context.requestId ?? ''))}`);
      if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
      // W3C traceparent: undici's instrumentation adds it (with a CLIENT span) when tracing is on.
    },
    didReceiveResponse({ response, context }) {
      // The subgraph's report for the response cache, taken off before anything merges its answer.
      if (context.contributions) context.contributions.take(name, response.extensions);
      else if (response.extensions) delete response.extensions[RESPONSE_REPORT_EXTENSION];
      return response;
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
