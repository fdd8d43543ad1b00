/**
 * How the gateway's subgraph calls go over the wire: undici's pooled keep-alive client,
 * each answer read whole and handed on as the small Fetch-shaped response
 * RemoteGraphQLDataSource reads (status, headers, text/json). The data source's default
 * fetcher (make-fetch-happen over minipass-fetch, with retry and cache machinery we switch
 * off) allocated about a quarter of the gateway's memory per request; this one a fraction,
 * which keeps the young generation from spilling request garbage into the old one.
 * A subgraph that sends no answer within `timeoutMs` (or pauses that long in the middle of
 * one) fails the call, its fields nulled with UPSTREAM_UNAVAILABLE, instead of holding the
 * caller and a connection forever.
 */
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { Agent } from 'undici';

/** The data source's own fetcher types, as its public API states them. */
export type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];

export interface SubgraphFetcher {
  readonly fetch: Fetcher;
  close(): Promise<void>;
}

export function subgraphFetcher({ timeoutMs }: { timeoutMs: number }): SubgraphFetcher {
  const agent = new Agent({ keepAliveTimeout: 10_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: timeoutMs });
  // A gateway calls a handful of subgraph URLs: each is parsed once, not on every call.
  const targets = new Map<string, { origin: string; path: string }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      targets.set(url, (target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` }));
    }
    return target;
  };
  const fetch: Fetcher = async (url: string, init: FetcherRequestInit = {}) => {
    const answer = await agent.request({
      ...targetOf(url),
      method: (init.method ?? 'GET') as 'POST',
      headers: init.headers,
      body: init.body,
      signal: init.signal as AbortSignal | undefined,
    });
    const text = await answer.body.text();
    return bufferedResponse(url, answer.statusCode, answer.headers, text);
  };
  return { fetch, close: () => agent.close() };
}

function bufferedResponse(url: string, status: number, raw: Record<string, string | string[] | undefined>, text: string): FetcherResponse {
  const response: FetcherResponse = {
    bodyUsed: false,
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText: '',
    headers: headersOf(raw),
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(text).buffer,
    clone: () => bufferedResponse(url, status, raw, text),
  };
  return response;
}

/** The answer's headers, read-only in practice but shaped as the Fetch API's. */
function headersOf(raw: Record<string, string | string[] | undefined>): FetcherHeaders {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) map.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  return {
    append: (name, value) => void map.set(name.toLowerCase(), map.has(name.toLowerCase()) ? `${map.get(name.toLowerCase())}, ${value}` : value),
    delete: (name) => void map.delete(name.toLowerCase()),
    get: (name) => map.get(name.toLowerCase()) ?? null,
    has: (name) => map.has(name.toLowerCase()),
    set: (name, value) => void map.set(name.toLowerCase(), value),
    entries: () => map.entries(),
    keys: () => map.keys(),
    values: () => map.values(),
    [Symbol.iterator]: () => map.entries(),
  };
}
