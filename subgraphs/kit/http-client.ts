/**
 * One HTTP exchange with an upstream: its auth headers, a hard timeout, JSON in and out,
 * and every failure turned into a classified UpstreamError. A 401 refreshes the
 * credentials and tries once more. Retries, breaker and cache sit above this.
 */
import type { Dispatcher } from 'undici-types';
import type { UpstreamAuth } from './client-credentials.ts';
import { REQUEST_ID_HEADER } from '../../kit/request-id.ts';
import { currentRequestId } from '../../kit/service-scope.ts';
import { failureForStatus, parseRetryAfter, UpstreamError } from './upstream-error.ts';

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  /** Sent as JSON. */
  json?: unknown;
  headers?: Record<string, string>;
  /** Aborts the exchange (the resilience timeout passes its signal here). */
  signal?: AbortSignal;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface HttpClientOptions {
  api: string;
  baseUrl: string;
  auth?: UpstreamAuth;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  /** Observes every exchange (metrics; rate-limit headers, present whenever the upstream answered). */
  onExchange?: (exchange: { api: string; method: string; path: string; status: number | 'error'; ms: number; headers?: Headers }) => void;
}

export interface HttpClient {
  request<T>(request: HttpRequest): Promise<HttpResponse<T>>;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { api, baseUrl, auth, timeoutMs, dispatcher, onExchange } = options;

  async function exchange<T>(request: HttpRequest, isRetryAfterRefresh: boolean): Promise<HttpResponse<T>> {
    const method = request.method ?? 'GET';
    // Appended, not resolved: a base URL with a path (https://gw/plant-api) keeps it.
    const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${request.path.replace(/^\/+/, '')}`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, String(item));
      else url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...requestIdHeader(), ...(await auth?.headers()), ...request.headers };
    if (request.json !== undefined) headers['Content-Type'] = 'application/json';
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(request.json !== undefined ? { body: JSON.stringify(request.json) } : {}),
        signal: request.signal ? AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
        ...(dispatcher ? { dispatcher } : {}),
      } as RequestInit);
    } catch (error) {
      onExchange?.({ api, method, path: request.path, status: 'error', ms: performance.now() - started });
      const timedOut = (error as Error).name === 'TimeoutError' || request.signal?.aborted === true;
      throw new UpstreamError(api, timedOut ? 'timeout' : 'unavailable', `${method} ${request.path}: ${timedOut ? 'timed out' : 'unreachable'}`);
    }
    onExchange?.({ api, method, path: request.path, status: response.status, ms: performance.now() - started, headers: response.headers });

    if (response.status === 401 && auth && !isRetryAfterRefresh && auth.invalidate()) {
      await response.body?.cancel();
      return exchange(request, true);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new UpstreamError(api, failureForStatus(response.status), `${method} ${request.path} answered ${response.status}`, {
        status: response.status,
        ...optional('retryAfterMs', parseRetryAfter(response.headers.get('retry-after'))),
      });
    }
    let body: T;
    try {
      body = (await response.json()) as T;
    } catch {
      throw new UpstreamError(api, 'server_error', `${method} ${request.path} answered a body that is not JSON`, { status: response.status });
    }
    return { status: response.status, headers: response.headers, body };
  }

  return { request: (request) => exchange(request, false) };
}

/** The request being served, named to the upstream so its logs can be matched with ours. */
function requestIdHeader(): Record<string, string> {
  const requestId = currentRequestId();
  return requestId ? { [REQUEST_ID_HEADER]: requestId } : {};
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
