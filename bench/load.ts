/**
 * One autocannon run against a GraphQL endpoint, with exact latency percentiles. Given
 * several requests, each connection sends them in turn (the widgets of one dashboard).
 * It also counts answers that carry GraphQL errors (an HTTP 200 can) and answers our
 * gateway's response cache served (`x-cache: hit`).
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  non2xx: number;
  errors: number;
  /** Answers with an `errors` entry. */
  withErrors: number;
  /** Those answers' error codes (`extensions.code`), each counted once per answer. */
  errorCodes: Record<string, number>;
  /** Answers with `x-cache: hit`. */
  cacheHits: number;
  /** Every response's latency in ms, in arrival order. */
  latencies: number[];
}

export async function drive(options: { url: string; requests: readonly LoadRequest[]; seconds: number; connections: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  let withErrors = 0;
  let cacheHits = 0;
  const errorCodes: Record<string, number> = {};
  const onResponse = (_status: number, body: string, _context: object, headers: Record<string, unknown> = {}) => {
    if (body.includes('"errors":')) {
      withErrors += 1;
      for (const code of codesOf(body)) errorCodes[code] = (errorCodes[code] ?? 0) + 1;
    }
    for (const name in headers) if (name.toLowerCase() === 'x-cache' && String(headers[name]).toLowerCase() === 'hit') cacheHits += 1;
  };
  let finish: (result: autocannon.Result) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: options.url,
      method: 'POST',
      requests: options.requests.map((request) => ({ method: 'POST', body: request.body, headers: { 'content-type': 'application/json', ...request.headers }, onResponse })),
      connections: options.connections,
      duration: options.seconds,
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const result = await done;
  return { requests: result.requests.total, seconds: options.seconds, non2xx: result.non2xx, errors: result.errors + result.timeouts, withErrors, errorCodes, cacheHits, latencies };
}

/** The distinct error codes an answer carries (read off its text: the hot path parses nothing). */
function codesOf(body: string): Set<string> {
  const codes = new Set<string>();
  for (const match of body.matchAll(/"code":"([A-Z_]+)"/g)) codes.add(match[1]!);
  if (codes.size === 0) codes.add('(no code)');
  return codes;
}

/** The latency below which a share `q` (0..1) of the sorted latencies fall. */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
