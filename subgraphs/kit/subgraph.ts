/**
 * What turns a subgraph folder into a running service: its SDL and resolvers become a
 * federated schema, secured by its permission table, served over HTTP with a context that
 * verifies the caller's token again (zero trust) and carries fresh DataLoaders.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';

/**
 * A subgraph's resolvers by type and field, the shape buildSubgraphSchema takes (the
 * package's entry point does not export its type; its dist folder is not ours to import).
 */
export type GraphQLResolverMap<TContext> = Record<
  string,
  GraphQLScalarType | Record<string, GraphQLFieldResolver<any, TContext> | { resolve: GraphQLFieldResolver<any, TContext> } | string | number>
>;
import { parse, type GraphQLFieldResolver, type GraphQLScalarType, type GraphQLSchema } from 'graphql';
import type { Settings } from '../../config/settings.ts';
import { accessLogPlugin } from '../../kit/access-log.ts';
import { createAuditEmitter, type AuditEmitter } from '../../kit/audit-emitter.ts';
import { createTokenVerifier, type TokenVerifier } from '../../kit/auth.ts';
import type { SubgraphContext } from './context.ts';
import { unauthenticated } from '../../kit/errors.ts';
import { formatResponseError } from '../../kit/format-error.ts';
import { startHttpServer, type PlainRoute, type RunningHttpServer } from '../../kit/http-server.ts';
import { secureSchema, type PermissionTable } from './permissions.ts';
import { RequestAudit } from '../../kit/request-audit.ts';
import { redisReachable } from '../../kit/redis.ts';
import { currentRequestId, runInService } from '../../kit/service-scope.ts';
import { createServiceTelemetry, type ServiceTelemetry } from '../../kit/service-telemetry.ts';
import { tracingFor } from '../../kit/tracing.ts';

/** Everything a subgraph folder provides; index.ts of each subgraph builds one. */
export interface SubgraphDefinition<TLoaders> {
  readonly resolvers: GraphQLResolverMap<SubgraphContext<TLoaders>>;
  /** New DataLoaders for one request. */
  createLoaders(caller: SubgraphContext['caller']): TLoaders;
  /** Plain HTTP routes such as webhooks. */
  readonly routes?: readonly PlainRoute[];
  /** Releases timers, connections and caches. */
  close(): Promise<void>;
}

/** Shared services a subgraph's factory receives. */
export interface SubgraphDependencies {
  readonly settings: Settings;
  readonly audit: AuditEmitter;
}

export type SubgraphFactory<TLoaders = unknown> = (dependencies: SubgraphDependencies) => Promise<SubgraphDefinition<TLoaders>>;

/** One line of the subgraph registry: what is needed to compose and to run a subgraph. */
export interface SubgraphEntry<TLoaders = any> {
  /** Service name, as in the supergraph (`plants`, `email-stats`). */
  readonly name: string;
  /** Path of its schema.graphql. */
  readonly schemaFile: string;
  readonly port: (settings: Settings) => number;
  /** Who may read what, and what is masked (static, so tests can check it against the schema). */
  readonly permissions: PermissionTable;
  readonly create: SubgraphFactory<TLoaders>;
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
  const port = options.port ?? entry.port(settings);
  const audit = createAuditEmitter({ settings, service });
  // What is open so far, closed in reverse if a later step of the start fails.
  const opened: (() => Promise<void>)[] = [tracingFor(settings), () => audit.close()];
  if (settings.redisUrl) telemetry.readiness.add('redis', redisReachable(settings.redisUrl));
  const closeOpened = async () => {
    for (const close of [...opened].reverse()) await close().catch(() => undefined);
  };
  try {
    const definition = await entry.create({ settings, audit });
    opened.push(() => definition.close());
    const verifier = options.verifier ?? createTokenVerifier(settings.auth);
    const schema = subgraphSchema(entry, definition);
    const apollo = new ApolloServer<SubgraphContext<TLoaders>>({
      schema,
      formatError: (formatted, error) => formatResponseError(formatted, error),
      includeStacktraceInErrorResponses: false,
      introspection: settings.mode !== 'production',
      // The entry points stop it on SIGTERM with the rest of the service (kit/lifecycle.ts);
      // Apollo's own handler would re-raise the signal and cut that shutdown short.
      stopOnTerminationSignals: false,
      // Traces are for Apollo's cloud reporting, which this deployment does not use.
      plugins: [ApolloServerPluginInlineTraceDisabled(), endOfRequestAudit, accessLogPlugin],
    });
    await apollo.start();
    opened.push(() => apollo.stop());
    const context = subgraphContext(service, verifier, audit, definition);
    const http = await startHttpServer({ name: service, host: settings.host, port, apollo, context, routes: definition.routes ?? [], telemetry });
    opened.push(() => http.close());
    return { ...http, name: service, close: closeOpened };
  } catch (error) {
    await closeOpened();
    throw error;
  }
}

/** Sensitive reads are audited once per entity when the request is answered. */
const endOfRequestAudit: ApolloServerPlugin<SubgraphContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue }) {
        contextValue.audited?.end();
      },
    };
  },
};

/** The context of one request: the caller verified again (zero trust), fresh loaders. */
function subgraphContext<TLoaders>(service: string, verifier: TokenVerifier, audit: AuditEmitter, definition: SubgraphDefinition<TLoaders>) {
  return async function context(request: IncomingMessage): Promise<SubgraphContext<TLoaders>> {
    const verdict = await verifier.verify(request.headers.authorization);
    if (!verdict.ok) {
      audit.emit({
        type: 'AUTH_FAILURE',
        actor: 'anonymous',
        service,
        action: 'call subgraph',
        outcome: 'DENIED',
        details: { reason: verdict.reason },
      });
      throw unauthenticated();
    }
    return {
      caller: verdict.caller,
      service,
      requestId: currentRequestId() ?? randomUUID(),
      audit,
      loaders: definition.createLoaders(verdict.caller),
      audited: new RequestAudit(audit, verdict.caller.subject, service),
    };
  }
}
