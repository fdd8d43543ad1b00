/**
 * The plain gateway the bench compares against: @apollo/gateway over the composed
 * supergraph, served by @apollo/server's standalone server, forwarding the caller's
 * Authorization (as the equal subgraph credential) and nothing else: no limits, no rate
 * limit, no cache, no masking, no audit.
 */
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { SubgraphCredential } from './subgraph-credential.ts';

interface PlainContext {
  readonly authorization: string | undefined;
  /** Signed once per request, however many subgraphs it reaches (as our gateway does). */
  credential?: Promise<string | undefined>;
}

/** A comparison gateway running in this process. */
export interface RunningComparisonGateway {
  /** Its /graphql URL. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startPlainGateway(options: { supergraphSdl: string; credential: SubgraphCredential; host?: string; port?: number }): Promise<RunningComparisonGateway> {
  const { supergraphSdl, credential, host = '127.0.0.1', port = 0 } = options;
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<PlainContext>({
        url,
        async willSendRequest({ request, context }) {
          const header = await (context.credential ??= credential(context.authorization));
          if (header) request.http?.headers.set('authorization', header);
        },
      }),
  });
  const server = new ApolloServer<PlainContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { host, port },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  return { url: new URL('/graphql', url).href, close: () => server.stop() };
}
