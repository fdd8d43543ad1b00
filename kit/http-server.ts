/**
 * A node:http front for an Apollo Server (gateway or subgraph) plus a few plain routes
 * (health, readiness, metrics, webhooks). Apollo's own HTTP handling runs through
 * executeHTTPGraphQLRequest, so no web framework is needed. Every request runs in its
 * service's scope with its request id (answered in `x-request-id`), inside a trace span when
 * tracing is on, and a GraphQL request ends with its access line.
 */
import http from 'node:http';
import type { PlainRequest, PlainResponse, PlainRoute, RawRoute } from './http-routes.ts';

export type { PlainRequest, PlainResponse, PlainRoute, RawRoute } from './http-routes.ts';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextThunk } from '@apollo/server';
import { finishAccess } from './access-log.ts';
import { newAccessRecord, safeOperationName, type AccessRecord } from './access-record.ts';
import { operatorRoutes } from './health-routes.ts';
import { logger } from './logger.ts';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.ts';
import { runInRequest, runInService } from './service-scope.ts';
import { currentTelemetry } from './service-scope.ts';
import type { ServiceTelemetry } from './service-telemetry.ts';
import { inServerSpan } from './tracing.ts';

export interface HttpServerOptions<TContext extends BaseContext> {
  name: string;
  host: string;
  port: number;
  apollo: ApolloServer<TContext>;
  /** Builds the context of one GraphQL request; throw a GraphQLError with http.status to refuse it. */
  context: (request: http.IncomingMessage) => Promise<TContext>;
  routes?: readonly PlainRoute[];
  rawRoutes?: readonly RawRoute[];
  /** Largest accepted request body. @default 1 MiB */
  maxBodyBytes?: number;
  /** Metrics, upstreams and readiness of the service. @default the current scope's */
  telemetry?: ServiceTelemetry;
  /** Whether an incoming `x-request-id` is taken as this request's id. @default true (internal services) */
  trustRequestId?: boolean;
}

export interface RunningHttpServer {
  readonly server: http.Server;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';

export async function startHttpServer<TContext extends BaseContext>(options: HttpServerOptions<TContext>): Promise<RunningHttpServer> {
  const { name, host, port, apollo, context, routes = [], rawRoutes = [], maxBodyBytes = 1024 * 1024 } = options;
  const { telemetry = currentTelemetry(), trustRequestId = true } = options;
  const plain = [...operatorRoutes(telemetry), ...routes];

  const server = http.createServer((req, res) => {
    const requestId = requestIdOf(req.headers, trustRequestId);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const access = newAccessRecord();
    const started = performance.now();
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    runInRequest(telemetry, { requestId, access }, () =>
      inServerSpan(req, path, () => res.statusCode, () => handle(req, res, access))
        .catch((error: unknown) => {
          logger.error('request failed', { service: name, err: error });
          if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] }));
        })
        .finally(() => finishAccess(telemetry, access, res.statusCode, performance.now() - started)),
    );
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, access: AccessRecord): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const raw = rawRoutes.find((candidate) => candidate.path === url.pathname || (candidate.prefix && url.pathname.startsWith(`${candidate.path}/`)));
    if (raw) return raw.handle(req, res);
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) {
      res.writeHead(413, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Request body too large.', extensions: { code: 'BAD_REQUEST' } }] }));
      return;
    }
    const route = plain.find((candidate) => candidate.path === url.pathname && candidate.method === req.method);
    if (route) {
      const answer = await route.handle({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body });
      const isText = typeof answer.body === 'string';
      res.writeHead(answer.status, { 'Content-Type': isText ? 'text/plain; charset=utf-8' : 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : isText ? (answer.body as string) : JSON.stringify(answer.body));
      return;
    }
    if (url.pathname !== GRAPHQL_PATH && url.pathname !== '/') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }] }));
      return;
    }
    await serveGraphQL(req, res, url, body, access);
  }

  async function serveGraphQL(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string, access: AccessRecord): Promise<void> {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let parsed: unknown = undefined;
    if (body && (headers.get('content-type') ?? '').includes('application/json')) {
      try {
        parsed = JSON.parse(body);
      } catch {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: 'Body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] }));
        return;
      }
    }
    // Known before Apollo parses the document, so a request refused early is still named.
    access.operationName = safeOperationName((parsed as { operationName?: unknown } | undefined)?.operationName) ?? safeOperationName(url.searchParams.get('operationName'));
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body: parsed },
      context: (() => context(req)) as ContextThunk<TContext>,
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  // Listening inside the service's scope: what the server emits outside a request
  // (WebSocket upgrades) runs in that scope too.
  await runInService(telemetry, () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    }),
  );
  const bound = (server.address() as AddressInfo).port;
  return {
    server,
    port: bound,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}${GRAPHQL_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
