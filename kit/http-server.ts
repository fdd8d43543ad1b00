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
import { errorBody, ErrorCode, INTERNAL_MESSAGE } from './errors.ts';
import { readBody } from './read-body.ts';
import type { AuditEventInput } from './audit-event.ts';
import { clientAddress, type ClientAddress } from './client-address.ts';
import type { RefusalCap } from './refusals.ts';

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
  /** `/metrics` answers only with this bearer token, when set. */
  metricsToken?: string | undefined;
  /** Where a request came from. @default the socket's address */
  addressOf?: ClientAddress;
  /** The cap on audited refusals per address, for plain routes that refuse (webhooks). */
  refusals?: RefusalCap;
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
  const { telemetry = currentTelemetry(), trustRequestId = true, metricsToken, addressOf = clientAddress([]), refusals } = options;
  const plain = [...operatorRoutes(telemetry, { metricsToken }), ...routes];

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
          res.end(JSON.stringify(errorBody(ErrorCode.INTERNAL_SERVER_ERROR, INTERNAL_MESSAGE, { requestId })));
        })
        .finally(() => finishAccess(telemetry, access, res.statusCode, performance.now() - started)),
    );
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, access: AccessRecord): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const raw = rawRoutes.find((candidate) => candidate.path === url.pathname || (candidate.prefix && url.pathname.startsWith(`${candidate.path}/`)));
    if (raw) return raw.handle(req, res);
    const route = plain.find((candidate) => candidate.path === url.pathname && candidate.method === req.method);
    const limit = route?.maxBodyBytes ?? maxBodyBytes;
    const body = await readBody(req, limit);
    if (body === 'too-large') {
      res.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify(errorBody(ErrorCode.PAYLOAD_TOO_LARGE, `The body is larger than the ${limit} bytes this route takes.`, { maxBytes: limit })));
      return;
    }
    if (route) {
      const address = addressOf(req);
      const refused = (event: AuditEventInput) => (refusals ? refusals.refused(address, event) : Promise.resolve(true));
      const answer = await route.handle({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body, address, refused });
      const isText = typeof answer.body === 'string';
      res.writeHead(answer.status, { 'Content-Type': isText ? 'text/plain; charset=utf-8' : 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : isText ? (answer.body as string) : JSON.stringify(answer.body));
      return;
    }
    if (url.pathname !== GRAPHQL_PATH && url.pathname !== '/') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(errorBody(ErrorCode.NOT_FOUND, 'Not found.')));
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
        res.end(JSON.stringify(errorBody(ErrorCode.BAD_REQUEST, 'Body is not valid JSON.')));
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
