/**
 * One autocannon run against a GraphQL endpoint, with exact latency percentiles. Given
 * several requests, each connection sends them in turn (the widgets of one dashboard).
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
  /** Every response's latency in ms, in arrival order. */
  latencies: number[];
}

export async function drive(options: { url: string; requests: readonly LoadRequest[]; seconds: number; connections: number }): Promise<LoadResult> {
  const latencies: number[] = [];
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
      requests: options.requests.map((request) => ({ method: 'POST', body: request.body, headers: { 'content-type': 'application/json', ...request.headers } })),
      connections: options.connections,
      duration: options.seconds,
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const result = await done;
  return { requests: result.requests.total, seconds: options.seconds, non2xx: result.non2xx, errors: result.errors + result.timeouts, latencies };
}

/** The latency below which a share `q` (0..1) of the sorted latencies fall. */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
