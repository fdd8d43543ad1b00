/**
 * How the gateway calls a subgraph: the URL from settings (not the one composed into the
 * supergraph), the caller's own token forwarded so the subgraph verifies it again, and the
 * request id for correlating logs and audit events.
 */
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayContext } from './context.ts';

export function subgraphSource(url: string): RemoteGraphQLDataSource<GatewayContext> {
  return new RemoteGraphQLDataSource<GatewayContext>({
    url,
    willSendRequest({ request, context }) {
      if (context.caller) request.http?.headers.set('authorization', `Bearer ${context.caller.token}`);
      if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
    },
  });
}
