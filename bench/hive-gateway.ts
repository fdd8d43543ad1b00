/**
 * Hive Gateway as the bench's second comparison: its runtime over the same composed
 * supergraph, served by node:http, passing on the caller's Authorization as the equal
 * subgraph credential. In-flight deduplication of subgraph requests is off, so it does the
 * same subgraph work per request as the other gateways.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningComparisonGateway } from './plain-gateway.ts';
import type { SubgraphCredential } from './subgraph-credential.ts';

/** The part of Hive Gateway's runtime the bench uses. */
interface HiveRuntime {
  (request: IncomingMessage, response: ServerResponse): void;
  readonly graphqlEndpoint: string;
  dispose(): Promise<void> | void;
}
interface HiveGatewayModule {
  createGatewayRuntime(config: {
    supergraph: string;
    logging: string;
    transportEntries: Record<string, { options: Record<string, unknown> }>;
    propagateHeaders: { fromClientToSubgraphs(payload: { request: Request }): Promise<Record<string, string>> };
  }): HiveRuntime;
}
// Loaded by a name the type checker does not follow: Hive's types reference the DOM
// library, whose globals would clash with Node's across the whole program.
const HIVE_GATEWAY: string = '@graphql-hive/gateway';

export async function startHiveGateway(options: { supergraphSdl: string; credential: SubgraphCredential; host?: string; port?: number }): Promise<RunningComparisonGateway> {
  const { supergraphSdl, credential, host = '127.0.0.1', port = 0 } = options;
  // Signed once per request, however many subgraphs it reaches (as our gateway does).
  const signed = new WeakMap<Request, Promise<string | undefined>>();
  const { createGatewayRuntime } = (await import(HIVE_GATEWAY)) as HiveGatewayModule;
  const runtime = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: 'error',
    transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
    propagateHeaders: {
      async fromClientToSubgraphs({ request }) {
        let header = signed.get(request);
        if (!header) signed.set(request, (header = credential(request.headers.get('authorization'))));
        const value = await header;
        return value ? { authorization: value } : ({} as Record<string, string>);
      },
    },
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}${runtime.graphqlEndpoint}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await runtime.dispose();
    },
  };
}
