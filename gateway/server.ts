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
import { subgraphUrlOverride } from '../config/subgraph-settings.ts';
import { createAuditEmitter } from '../kit/audit-emitter.ts';
import { createTokenVerifier } from '../kit/auth.ts';
import { accessLogPlugin } from '../kit/access-log.ts';
import { clientAddress } from '../kit/client-address.ts';
import { internalTokens } from '../kit/internal-token.ts';
import { refusalCap } from '../kit/refusals.ts';
import { tokenGate } from '../kit/token-gate.ts';
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
import { sandboxLandingPage } from './landing-page.ts';
import { costLimitPlugin } from './limits/cost.ts';
import { asLimitRefusal } from './limits/limit-error.ts';
import { operationLimitRules } from './limits/operation-rules.ts';
import { refusedOperationAudit } from './limits/refused-operation-audit.ts';
import { callerRateLimit, rateLimitHeadersPlugin } from './rate-limit.ts';
import { startResponseCache } from './response-cache/index.ts';
import { subgraphFetcher } from './subgraph-fetcher.ts';
import { subgraphSource } from './subgraph-source.ts';
import { loadTrustedDocuments, persistedQueryCache, trustedDocumentsPlugin } from './trusted-documents.ts';
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
  const { limits } = settings;
  const verifier = createTokenVerifier(settings.auth, limits.rate.defaultPlan);
  const rateLimit = callerRateLimit(settings);
  const refusals = refusalCap({ limits: limits.refusals, redisUrl: settings.redisUrl, keyPrefix: settings.keyPrefix, audit, service: SERVICE });
  const addressOf = clientAddress(limits.refusals.trustedProxies);
  const gate = tokenGate({ verifier, refusals, service: SERVICE, refusalWindowMs: limits.refusals.windowMs });
  const tokens = internalTokens(settings);
  const trusted = loadTrustedDocuments();
  const fetcher = subgraphFetcher({ timeoutMs: settings.gateway.subgraphTimeoutMs });
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    buildService: ({ name, url }) => subgraphSource(name, subgraphUrlOverride(settings, name) ?? url ?? '', tokens, fetcher.fetch),
  });
  // The API schema with the subscription root the gateway serves itself.
  let fullSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    fullSchema = subscriptionSchema(apiSchema);
  });
  telemetry.readiness.add('schema', async () => (fullSchema ? undefined : 'the supergraph schema is not loaded'));
  if (settings.redisUrl) telemetry.readiness.add('redis', redisReachable(settings.redisUrl));
  const pubsub = createPubSub({ redisUrl: settings.redisUrl, keyPrefix: settings.keyPrefix });
  const responseCache = await startResponseCache({ settings, pubsub, audit, metrics: telemetry.metrics });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: (formatted, error) => formatResponseError(asLimitRefusal(formatted, limits.operation.maxTokens), error),
    includeStacktraceInErrorResponses: false,
    introspection: settings.mode !== 'production',
    // Refused before any work: tokens while parsing, the rest while validating, cost once the variables are known.
    parseOptions: { maxTokens: limits.operation.maxTokens },
    validationRules: operationLimitRules(limits.operation),
    persistedQueries: { cache: persistedQueryCache(trusted, limits.trustedDocuments.apqCacheBytes) },
    // The entry points stop it on SIGTERM with the rest of the service (kit/lifecycle.ts);
    // Apollo's own handler would re-raise the signal and cut that shutdown short.
    stopOnTerminationSignals: false,
    plugins: [
      settings.mode === 'production' ? ApolloServerPluginLandingPageDisabled() : sandboxLandingPage(),
      rateLimitHeadersPlugin,
      subscriptionRootOverHttp(() => fullSchema),
      trustedDocumentsPlugin(trusted, limits.trustedDocuments),
      costLimitPlugin(limits.operation),
      refusedOperationAudit(audit, SERVICE),
      ...(responseCache ? [responseCache.plugin] : []),
      accessLogPlugin,
    ],
  });
  await apollo.start();

  async function context(request: IncomingMessage): Promise<GatewayContext> {
    const admission = await gate.admit({ authorization: request.headers.authorization, address: addressOf(request), userAgent: request.headers['user-agent'] }, 'query gateway');
    if (!admission.ok) throw admission.error;
    const state = await rateLimit.take(admission.caller);
    return { caller: admission.caller, requestId: currentRequestId() ?? randomUUID(), rateLimit: state };
  }

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
    metricsToken: settings.metricsToken,
    maxBodyBytes: limits.bodies.graphqlBytes,
    addressOf,
    refusals,
  });
  if (!fullSchema) throw new Error('the gateway loaded no schema');
  subscriptions = startSubscriptions({
    server: http.server,
    schema: fullSchema,
    gate,
    addressOf,
    feed,
    limits,
    validationRules: operationLimitRules(limits.operation),
    rateLimit,
    runQuery: async (query, variables, contextValue) => {
      // A copy per query: one subscriber's alerts may run at once, each collecting its own contributions (response cache).
      const response = await apollo.executeOperation({ query, variables }, { contextValue: { ...contextValue } });
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
      await responseCache?.close();
      await pubsub.close();
      await http.close();
      await apollo.stop();
      await fetcher.close();
      refusals.close();
      await audit.close();
      await releaseTracing();
    },
  };
}
