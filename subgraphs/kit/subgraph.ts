/**
 * What turns a subgraph folder into a running service: its SDL and resolvers become a
 * federated schema, secured by its permission table, served over HTTP with a context that
 * admits only the gateway's internal token for the caller and carries fresh DataLoaders.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLFieldResolver, type GraphQLScalarType, type GraphQLSchema } from 'graphql';
import type { Settings } from '../../config/settings.ts';
import { readSubgraphSettings, type SubgraphSettings } from '../../config/subgraph-settings.ts';
import { accessLogPlugin } from '../../kit/access-log.ts';
import { createAuditEmitter, type AuditEmitter } from '../../kit/audit-emitter.ts';
import type { TokenVerifier } from '../../kit/auth.ts';
import { clientAddress } from '../../kit/client-address.ts';
import { internalTokens } from '../../kit/internal-token.ts';
import { refusalCap } from '../../kit/refusals.ts';
import { tokenGate, type Admission } from '../../kit/token-gate.ts';
import type { SubgraphContext } from './context.ts';
import { formatResponseError } from '../../kit/format-error.ts';
import { startHttpServer, type PlainRoute, type RunningHttpServer } from '../../kit/http-server.ts';
import { CACHE_INVALIDATION_CHANNEL, type CacheInvalidation, type ChangedEntity } from '../../kit/cache-invalidation.ts';
import { createPubSub, type PubSub } from '../../kit/pubsub.ts';
import { createCache, type EntryCache } from './cache.ts';
import { responseReportPlugin, type ReportedUpstream } from './response-report.ts';
import { secureSchema, type PermissionTable } from './permissions.ts';
import { Upstream, type UpstreamOptions } from './upstream.ts';
import { recipientsSink, RequestAudit } from '../../kit/request-audit.ts';
import { redisReachable } from '../../kit/redis.ts';
import { currentRequestId, runInService } from '../../kit/service-scope.ts';
import { createServiceTelemetry, type ServiceTelemetry } from '../../kit/service-telemetry.ts';
import { tracingFor } from '../../kit/tracing.ts';

/**
 * A subgraph's resolvers by type and field, the shape buildSubgraphSchema takes (the
 * package's entry point does not export its type; its dist folder is not ours to import).
 */
export type GraphQLResolverMap<TContext> = Record<
  string,
  GraphQLScalarType | Record<string, GraphQLFieldResolver<any, TContext> | { resolve: GraphQLFieldResolver<any, TContext> } | string | number>
>;

/** Everything a subgraph folder provides; index.ts of each subgraph builds one. */
export interface SubgraphDefinition<TLoaders> {
  readonly resolvers: GraphQLResolverMap<SubgraphContext<TLoaders>>;
  /** New DataLoaders for one request. */
  createLoaders(caller: SubgraphContext['caller']): TLoaders;
  /** Plain HTTP routes such as webhooks. */
  readonly routes?: readonly PlainRoute[];
  /** Releases its timers and connections (the kit closes the cache it gave). */
  close?(): Promise<void>;
}

/** What a subgraph's factory receives: shared services, its own settings, its upstream pipeline. */
export interface SubgraphDependencies<TSettings = unknown> {
  readonly settings: Settings;
  /** The folder's own settings (its settings.ts), read and checked at start. */
  readonly config: TSettings;
  readonly audit: AuditEmitter;
  /** This subgraph's cache namespace, closed with the subgraph. */
  readonly cache: EntryCache;
  /**
   * An upstream through the kit's pipeline, built from its policy: this subgraph's cache,
   * the policy's quota (shared through Redis), breaker, retry and timeout, and audited
   * failures and health transitions.
   */
  upstream(options: Pick<UpstreamOptions, 'api' | 'credentialScope' | 'policy' | 'gate'>): Upstream;
  /**
   * Tells the gateway's response cache that entities changed (after this subgraph dropped
   * its own entries for them): the answers that carried them are dropped too.
   */
  announceChanges(entities: readonly ChangedEntity[]): Promise<void>;
}

export type SubgraphFactory<TLoaders = unknown, TSettings = unknown> = (dependencies: SubgraphDependencies<TSettings>) => Promise<SubgraphDefinition<TLoaders>>;

/** One line of the subgraph registry: what is needed to compose and to run a subgraph. */
export interface SubgraphEntry<TLoaders = any, TSettings = any> {
  /** Service name, as in the supergraph (`plants`, `email-stats`); its settings' name. */
  readonly name: string;
  /** Its settings, port and production requirements (the folder's settings.ts). */
  readonly settings: SubgraphSettings<TSettings>;
  /** Path of its schema.graphql. */
  readonly schemaFile: string;
  /** Who may read what, and what is masked (static, so tests can check it against the schema). */
  readonly permissions: PermissionTable;
  readonly create: SubgraphFactory<TLoaders, TSettings>;
}

/** A registry line from a subgraph folder's parts (its name is its settings'). */
export function defineSubgraph<TLoaders, TSettings>(parts: Omit<SubgraphEntry<TLoaders, TSettings>, 'name'>): SubgraphEntry<TLoaders, TSettings> {
  return { name: parts.settings.name, ...parts };
}

export interface RunningSubgraph extends RunningHttpServer {
  readonly name: string;
}

/** The path of a subgraph folder's schema.graphql, from a module URL in that folder. */
export function schemaBeside(moduleUrl: string): string {
  return fileURLToPath(new URL('./schema.graphql', moduleUrl));
}

export function readSchema(file: string) {
  return parse(readFileSync(file, 'utf8'));
}

/** A subgraph's executable schema: its SDL and resolvers, secured by its permission table. */
export function subgraphSchema<TLoaders>(entry: SubgraphEntry<TLoaders>, definition: SubgraphDefinition<TLoaders>): GraphQLSchema {
  return secureSchema(buildSubgraphSchema({ typeDefs: readSchema(entry.schemaFile), resolvers: definition.resolvers as never }), entry.permissions);
}

/**
 * A subgraph's definition from its factory, given what the kit gives every subgraph: its
 * settings read and checked, its cache namespace and upstreams built from their policies.
 */
export async function buildSubgraph<TLoaders, TSettings>(
  entry: SubgraphEntry<TLoaders, TSettings>,
  settings: Settings,
  audit: AuditEmitter,
): Promise<{ definition: SubgraphDefinition<TLoaders>; upstreams: readonly ReportedUpstream[]; close(): Promise<void> }> {
  const config = readSubgraphSettings(entry.settings, settings).values;
  const cache = createCache(settings, entry.name);
  // Their policies and health say how long the gateway may keep this subgraph's answers.
  const upstreams: ReportedUpstream[] = [];
  const upstream: SubgraphDependencies['upstream'] = (options) => {
    const built = new Upstream({ ...options, cache, shared: settings, audit: { sink: audit, service: entry.name } });
    upstreams.push({ policy: options.policy, health: built.health });
    return built;
  };
  let pubsub: PubSub | undefined;
  const announceChanges: SubgraphDependencies['announceChanges'] = async (entities) => {
    pubsub ??= createPubSub({ redisUrl: settings.redisUrl, keyPrefix: settings.keyPrefix });
    await pubsub.publish(CACHE_INVALIDATION_CHANNEL, { entities: [...entities] } satisfies CacheInvalidation);
  };
  try {
    const definition = await entry.create({ settings, config, audit, cache, upstream, announceChanges });
    return {
      definition,
      upstreams,
      async close() {
        await definition.close?.();
        await pubsub?.close();
        await cache.disconnect();
      },
    };
  } catch (error) {
    await cache.disconnect();
    throw error;
  }
}

export async function startSubgraph<TLoaders>(
  entry: SubgraphEntry<TLoaders>,
  options: { settings: Settings; port?: number; verifier?: TokenVerifier },
): Promise<RunningSubgraph> {
  // Everything the subgraph starts (its timers and probes included) works for it.
  const telemetry = createServiceTelemetry(entry.name);
  return runInService(telemetry, () => startSubgraphIn(telemetry, entry, options));
}

async function startSubgraphIn<TLoaders>(
  telemetry: ServiceTelemetry,
  entry: SubgraphEntry<TLoaders>,
  options: { settings: Settings; port?: number; verifier?: TokenVerifier },
): Promise<RunningSubgraph> {
  const { settings } = options;
  const service = entry.name;
  const port = options.port ?? readSubgraphSettings(entry.settings, settings).port;
  const audit = createAuditEmitter({ settings, service });
  // What is open so far, closed in reverse if a later step of the start fails.
  const opened: (() => Promise<void>)[] = [tracingFor(settings), () => audit.close()];
  if (settings.redisUrl) telemetry.readiness.add('redis', redisReachable(settings.redisUrl));
  const closeOpened = async () => {
    for (const close of [...opened].reverse()) await close().catch(() => undefined);
  };
  try {
    const refusals = refusalCap({ limits: settings.limits.refusals, redisUrl: settings.redisUrl, keyPrefix: settings.keyPrefix, audit, service });
    opened.push(async () => refusals.close());
    const built = await buildSubgraph(entry, settings, audit);
    opened.push(() => built.close());
    const { definition } = built;
    // Only the gateway's internal token opens a subgraph: limits and checks at the gateway cannot be walked around.
    const verifier = options.verifier ?? internalTokens(settings).verifier;
    const gate = tokenGate({ verifier, refusals, service, refusalWindowMs: settings.limits.refusals.windowMs });
    const addressOf = clientAddress(settings.limits.refusals.trustedProxies);
    // Webhooks take smaller bodies than GraphQL.
    const routes = (definition.routes ?? []).map((route) => ({ maxBodyBytes: settings.limits.bodies.webhookBytes, ...route }));
    const schema = subgraphSchema(entry, definition);
    const apollo = new ApolloServer<SubgraphContext<TLoaders>>({
      schema,
      formatError: (formatted, error) => formatResponseError(formatted, error),
      includeStacktraceInErrorResponses: false,
      introspection: settings.mode !== 'production',
      // The entry points stop it on SIGTERM with the rest of the service (kit/lifecycle.ts);
      // Apollo's own handler would re-raise the signal and cut that shutdown short.
      stopOnTerminationSignals: false,
      // Apollo's default plugins that hook every field are off: traces are for Apollo's cloud
      // reporting, which this deployment does not use; cache hints are declared by no field,
      // so every answer was `no-store` anyway, which `noStore` still says. The report ends
      // the request's audit too (one SENSITIVE_READ per entity read).
      plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), noStore, responseReportPlugin(built.upstreams), accessLogPlugin],
    });
    await apollo.start();
    opened.push(() => apollo.stop());
    const context = subgraphContext(service, (request) => gate.admit({ authorization: request.headers.authorization, address: addressOf(request) }, 'call subgraph'), audit, definition);
    const http = await startHttpServer({
      name: service,
      host: settings.host,
      port,
      apollo,
      context,
      routes,
      telemetry,
      metricsToken: settings.metricsToken,
      maxBodyBytes: settings.limits.bodies.graphqlBytes,
      addressOf,
      refusals,
    });
    opened.push(() => http.close());
    return { ...http, name: service, close: closeOpened };
  } catch (error) {
    await closeOpened();
    throw error;
  }
}

/** What Apollo's cache-control plugin answered for fields without hints, without its per-field hook. */
const noStore: ApolloServerPlugin<SubgraphContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/** The context of one request: the caller as the gateway vouches for it, fresh loaders. */
function subgraphContext<TLoaders>(service: string, admit: (request: IncomingMessage) => Promise<Admission>, audit: AuditEmitter, definition: SubgraphDefinition<TLoaders>) {
  return async function context(request: IncomingMessage): Promise<SubgraphContext<TLoaders>> {
    const verdict = await admit(request);
    if (!verdict.ok) throw verdict.error;
    // A request that answers for several callers (a grouped alert) audits as each of them.
    const sink = recipientsSink(audit, verdict.caller);
    return {
      caller: verdict.caller,
      service,
      requestId: currentRequestId() ?? randomUUID(),
      audit: sink,
      loaders: definition.createLoaders(verdict.caller),
      audited: new RequestAudit(sink, verdict.caller.subject, service),
    };
  }
}
