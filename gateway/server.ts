/**
 * The gateway: Apollo Server over an Apollo Gateway that plans each query across the
 * subgraphs named in schema/supergraph.graphql (read at start, so a subgraph that is down
 * at start does not stop it). Every GraphQL request needs a valid bearer token (HTTP 401
 * otherwise); the landing page (Apollo Sandbox) and the browser pages (gateway/web/) do not.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Settings } from '../config/settings.ts';
import { createAuditEmitter } from '../kit/audit-emitter.ts';
import { createTokenVerifier } from '../kit/auth.ts';
import { accessLogPlugin } from '../kit/access-log.ts';
import { unauthenticated } from '../kit/errors.ts';
import { formatResponseError } from '../kit/format-error.ts';
import { startHttpServer, type RunningHttpServer } from '../kit/http-server.ts';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { createPubSub } from '../kit/pubsub.ts';
import { redisReachable } from '../kit/redis.ts';
import { currentRequestId, runInService } from '../kit/service-scope.ts';
import { createServiceTelemetry, type ServiceTelemetry } from '../kit/service-telemetry.ts';
import { tracingFor } from '../kit/tracing.ts';
import type { GatewayContext } from './context.ts';
import { DowntimeFeed } from './subscriptions/downtime-feed.ts';
import { subscriptionRootOverHttp } from './subscriptions/http-plugin.ts';
import { subscriptionSchema } from './subscriptions/schema.ts';
import { SSE_PATH, startSubscriptions, type Subscriptions } from './subscriptions/server.ts';
import { depthLimit } from './depth-limit.ts';
import { sandboxLandingPage } from './landing-page.ts';
import { gatewayRateLimits, rateLimitHeadersPlugin } from './rate-limit.ts';
import { subgraphSource } from './subgraph-source.ts';
import { webRoutes } from './web/routes.ts';

export const SERVICE = 'gateway';
export const SUPERGRAPH_FILE = fileURLToPath(new URL('../schema/supergraph.graphql', import.meta.url));

export interface RunningGateway extends RunningHttpServer {
  /** Live downtime subscriptions on this gateway. */
  subscriberCount(): number;
}

export async function startGateway(settings: Settings, options: { port?: number } = {}): Promise<RunningGateway> {
  // Everything the gateway starts works for it: metrics, log lines and spans say `gateway`.
  const telemetry = createServiceTelemetry(SERVICE);
  return runInService(telemetry, () => startGatewayIn(telemetry, settings, options));
}

async function startGatewayIn(telemetry: ServiceTelemetry, settings: Settings, options: { port?: number }): Promise<RunningGateway> {
  const releaseTracing = tracingFor(settings);
  const audit = createAuditEmitter({ settings, service: SERVICE });
  const verifier = createTokenVerifier(settings.auth);
  const limits = gatewayRateLimits(settings);
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    buildService: ({ name, url }) => subgraphSource(name, settings.subgraphUrls[name] ?? url ?? ''),
  });
  // The API schema with the subscription root the gateway serves itself.
  let fullSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    fullSchema = subscriptionSchema(apiSchema);
  });
  telemetry.readiness.add('schema', async () => (fullSchema ? undefined : 'the supergraph schema is not loaded'));
  if (settings.redisUrl) telemetry.readiness.add('redis', redisReachable(settings.redisUrl));
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: (formatted, error) => formatResponseError(formatted, error),
    includeStacktraceInErrorResponses: false,
    introspection: settings.mode !== 'production',
    // The entry points stop it on SIGTERM with the rest of the service (kit/lifecycle.ts);
    // Apollo's own handler would re-raise the signal and cut that shutdown short.
    stopOnTerminationSignals: false,
    validationRules: [depthLimit(settings.gateway.maxQueryDepth)],
    plugins: [
      settings.mode === 'production' ? ApolloServerPluginLandingPageDisabled() : sandboxLandingPage(),
      rateLimitHeadersPlugin,
      subscriptionRootOverHttp(() => fullSchema),
      accessLogPlugin,
    ],
  });
  await apollo.start();

  async function context(request: IncomingMessage): Promise<GatewayContext> {
    const verdict = await verifier.verify(request.headers.authorization);
    if (!verdict.ok) {
      await limits.refused.take(request.socket.remoteAddress ?? 'unknown');
      audit.emit({
        type: 'AUTH_FAILURE',
        actor: 'anonymous',
        service: SERVICE,
        action: 'query gateway',
        outcome: 'DENIED',
        details: { reason: verdict.reason, userAgent: String(request.headers['user-agent'] ?? '') },
      });
      throw unauthenticated(verdict.reason === 'expired' ? 'The bearer token has expired.' : 'A valid bearer token is required.');
    }
    const rateLimit = await limits.callers.take(verdict.caller.subject);
    return { caller: verdict.caller, requestId: currentRequestId() ?? randomUUID(), rateLimit };
  }

  const pubsub = createPubSub({ redisUrl: settings.redisUrl, keyPrefix: settings.keyPrefix });
  const feed = new DowntimeFeed(telemetry.metrics);
  await feed.start(pubsub);
  let subscriptions: Subscriptions | undefined;
  const http = await startHttpServer({
    name: SERVICE,
    host: settings.host,
    port: options.port ?? settings.ports.gateway,
    apollo,
    context,
    rawRoutes: [{ path: SSE_PATH, handle: (req, res) => subscriptions!.sseRoute.handle(req, res) }, ...webRoutes(settings)],
    telemetry,
    trustRequestId: settings.gateway.trustRequestId,
  });
  if (!fullSchema) throw new Error('the gateway loaded no schema');
  subscriptions = startSubscriptions({
    server: http.server,
    schema: fullSchema,
    verifier,
    feed,
    audit,
    service: SERVICE,
    runQuery: async (query, variables, contextValue) => {
      const response = await apollo.executeOperation({ query, variables }, { contextValue });
      if (response.body.kind !== 'single') return { errors: [] };
      const { data, errors } = response.body.singleResult;
      return { data: data ?? null, errors: (errors ?? []).map((error) => new GraphQLError(error.message, { extensions: error.extensions ?? {} })) };
    },
  });
  return {
    ...http,
    subscriberCount: () => feed.subscriberCount(),
    async close() {
      await subscriptions?.close();
      await feed.stop();
      await pubsub.close();
      await http.close();
      await apollo.stop();
      await audit.close();
      await releaseTracing();
    },
  };
}
