/**
 * The shared shell of every sandbox API: an HTTP(S) listener, the admin surface of
 * UPSTREAMS.md (faults, reset, stats), fault injection in front of the API's own routes, and
 * the operator routes every service has (/health, /ready, /metrics; server spans when
 * tracing is on).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { healthAnswer, metricsAnswer, readyAnswer } from '../../kit/health-routes.ts';
import { requestIdOf } from '../../kit/request-id.ts';
import { runInRequest } from '../../kit/service-scope.ts';
import { createServiceTelemetry } from '../../kit/service-telemetry.ts';
import { inServerSpan } from '../../kit/tracing.ts';
import { newAccessRecord } from '../../kit/access-record.ts';
import { json, Router, type SandboxRequest, type SandboxResponse } from './router.ts';

export interface Faults {
  /** Every API request answers 503. */
  down: boolean;
  /** Added before every API answer. */
  latencyMs: number;
  /** Share (0..1) of API requests that answer 500. */
  errorRate: number;
  /** Every API request answers 429 with Retry-After. */
  rateLimited: boolean;
}

export interface SandboxOptions {
  name: string;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** The API's own routes (admin extras under /__admin/ included). */
  routes: Router;
  /** Start with these faults (the bench uses a fixed latency). */
  faults?: Partial<Faults>;
  /** Called by POST /__admin/reset after counters and faults are cleared. */
  onReset?: () => void;
  /** Error body in the API's own wire format. */
  errorBody?: (status: number, code: string, message: string) => unknown;
  /** HTTPS options; with requestCert the listener demands a client certificate. */
  tls?: https.ServerOptions;
}

export interface RunningSandbox {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly faults: Faults;
  /** API requests served since the last reset (token requests included). */
  requests(): number;
  close(): Promise<void>;
}

const NO_FAULTS: Faults = { down: false, latencyMs: 0, errorRate: 0, rateLimited: false };
const RATE_LIMIT_RETRY_AFTER_SECONDS = 1;

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const { name, host = '127.0.0.1', port, routes, onReset, tls } = options;
  const errorBody = options.errorBody ?? ((_status, code, message) => ({ error: { code, message } }));
  const faults: Faults = { ...NO_FAULTS, ...options.faults };
  let served = 0;
  // Closing aborts injected latency waits, so no timer outlives the sandbox.
  const closing = new AbortController();
  const telemetry = createServiceTelemetry(`${name}-sandbox`);
  const operator = new Router()
    .on('GET', '/health', () => healthAnswer(telemetry))
    .on('GET', '/ready', () => readyAnswer(telemetry))
    .on('GET', '/metrics', () => metricsAnswer(telemetry));

  const admin = new Router()
    .on('POST', '/__admin/faults', (request) => {
      const patch = parseFaults(request.body);
      if (typeof patch === 'string') return json(400, { error: { code: 'bad_request', message: patch } });
      Object.assign(faults, patch);
      return json(200, faults);
    })
    .on('POST', '/__admin/reset', () => {
      served = 0;
      Object.assign(faults, NO_FAULTS);
      onReset?.();
      return json(200, { ok: true });
    })
    .on('GET', '/__admin/stats', () => json(200, { requests: served }));

  async function respond(request: SandboxRequest): Promise<SandboxResponse> {
    const operatorRoute = operator.match(request.method, request.path);
    if (operatorRoute) return operatorRoute.handler({ ...request, params: operatorRoute.params });
    const adminRoute = admin.match(request.method, request.path);
    if (adminRoute) return adminRoute.handler({ ...request, params: adminRoute.params });
    const route = routes.match(request.method, request.path);
    if (request.path.startsWith('/__admin/')) {
      return route ? route.handler({ ...request, params: route.params }) : json(404, errorBody(404, 'not_found', 'No such admin route'));
    }
    served += 1;
    if (faults.latencyMs > 0) await sleep(faults.latencyMs, undefined, { signal: closing.signal }).catch(() => undefined);
    if (faults.down) return json(503, errorBody(503, 'service_unavailable', `${name} is down`));
    if (faults.rateLimited) {
      return json(429, errorBody(429, 'rate_limited', 'Too many requests'), { 'Retry-After': String(RATE_LIMIT_RETRY_AFTER_SECONDS) });
    }
    if (faults.errorRate > 0 && Math.random() < faults.errorRate) return json(500, errorBody(500, 'internal_error', 'Injected failure'));
    if (!route) return json(404, errorBody(404, 'not_found', `No route for ${request.method} ${request.path}`));
    return route.handler({ ...request, params: route.params });
  }

  const listener: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const peer = 'getPeerCertificate' in req.socket ? (req.socket as import('node:tls').TLSSocket).getPeerCertificate() : undefined;
      const request: SandboxRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        params: {},
        ...(peer?.subject?.CN ? { clientCertificateCn: String(peer.subject.CN) } : {}),
      };
      const scope = { requestId: requestIdOf(req.headers, true), access: newAccessRecord() };
      void runInRequest(telemetry, scope, () =>
        inServerSpan(req, request.path, () => res.statusCode, () =>
          respond(request)
            .catch((error: unknown) => {
              // A sandbox bug must still answer in the API's format, without a stack trace.
              console.error(`[${name}] handler failed: ${error instanceof Error ? error.message : String(error)}`);
              return json(500, errorBody(500, 'internal_error', 'Sandbox failure'));
            })
            .then((response) => send(res, response)),
        ),
      );
    });
  };

  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const scheme = tls ? 'https' : 'http';
  return {
    name,
    url: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    faults,
    requests: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, response: SandboxResponse): void {
  const isText = typeof response.body === 'string';
  const payload = response.body === undefined ? '' : isText ? (response.body as string) : JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...(response.body !== undefined ? { 'Content-Type': isText ? 'text/plain; charset=utf-8' : 'application/json' } : {}),
    ...response.headers,
  });
  res.end(payload);
}

function parseFaults(body: string): Partial<Faults> | string {
  let input: unknown;
  try {
    input = JSON.parse(body || '{}');
  } catch {
    return 'Body must be JSON';
  }
  if (!input || typeof input !== 'object') return 'Body must be a JSON object';
  const patch: Partial<Faults> = {};
  for (const [key, value] of Object.entries(input)) {
    if ((key === 'down' || key === 'rateLimited') && typeof value === 'boolean') patch[key] = value;
    else if (key === 'latencyMs' && Number.isInteger(value) && (value as number) >= 0) patch.latencyMs = value as number;
    else if (key === 'errorRate' && typeof value === 'number' && value >= 0 && value <= 1) patch.errorRate = value;
    else return `Bad fault ${key}=${JSON.stringify(value)}: expected down/rateLimited boolean, latencyMs >= 0, errorRate 0..1`;
  }
  return patch;
}
