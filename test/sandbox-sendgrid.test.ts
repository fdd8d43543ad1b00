/**
 * The SendGrid sandbox speaks SendGrid v3: @sendgrid/client reads stats and bounces from it
 * unchanged, errors use `{errors:[{field, message}]}`, and the X-RateLimit-* window really
 * runs out and resets (on an injected clock, so no test waits on real time).
 */
import client from '@sendgrid/client';
import type { RunningSandbox } from '../sandbox/kit/sandbox-server.ts';
import { BOUNCE_COUNT, type Bounce } from '../sandbox/sendgrid/bounces.ts';
import type { StatsEntry, StatsMetrics } from '../sandbox/sendgrid/global-stats.ts';
import { SENDGRID_SANDBOX_API_KEY, startSendGrid } from '../sandbox/sendgrid/server.ts';

let sandbox: RunningSandbox;
/** A second sandbox whose rate-limit window runs on `clock`. */
let limited: RunningSandbox;
let clock = Date.UTC(2026, 0, 1, 12, 0, 0, 250);

async function get(base: string, path: string, key: string | null = SENDGRID_SANDBOX_API_KEY): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${base}${path}`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function stats(query: Record<string, string>): Promise<StatsEntry[]> {
  const [response, body] = await client.request({ method: 'GET', url: '/v3/stats', qs: query });
  expect(response.statusCode).toBe(200);
  return body as StatsEntry[];
}

function total(entries: readonly StatsEntry[], metric: keyof StatsMetrics): number {
  return entries.reduce((sum, entry) => sum + entry.stats[0]!.metrics[metric], 0);
}

beforeAll(async () => {
  sandbox = await startSendGrid({ port: 0, apiKey: SENDGRID_SANDBOX_API_KEY });
  limited = await startSendGrid({ port: 0, apiKey: SENDGRID_SANDBOX_API_KEY, rateLimit: { limit: 3, windowSeconds: 10, now: () => clock } });
  client.setApiKey(SENDGRID_SANDBOX_API_KEY);
  client.setDefaultRequest('baseUrl', sandbox.url);
});

afterAll(async () => {
  await Promise.all([sandbox.close(), limited.close()]);
});

describe('SendGrid sandbox with @sendgrid/client', () => {
  test('daily stats: one entry per day with SendGrid metrics, the same on every call', async () => {
    const days = await stats({ start_date: '2026-01-01', end_date: '2026-01-31', aggregated_by: 'day' });
    expect(days).toHaveLength(31);
    expect(days[0]!.date).toBe('2026-01-01');
    expect(days.at(-1)!.date).toBe('2026-01-31');
    const metrics = days[0]!.stats[0]!.metrics;
    for (const name of ['requests', 'delivered', 'opens', 'unique_opens', 'clicks', 'unique_clicks', 'bounces', 'spam_reports', 'blocks']) {
      expect(typeof metrics[name as keyof StatsMetrics]).toBe('number');
    }
    expect(metrics.unique_opens).toBeLessThanOrEqual(metrics.opens);
    expect(metrics.delivered).toBeLessThanOrEqual(metrics.requests);
    expect(await stats({ start_date: '2026-01-01', end_date: '2026-01-31' })).toEqual(days);
  });

  test('week and month aggregation are sums of the days', async () => {
    const days = await stats({ start_date: '2026-01-15', end_date: '2026-03-10', aggregated_by: 'day' });
    const months = await stats({ start_date: '2026-01-15', end_date: '2026-03-10', aggregated_by: 'month' });
    expect(months.map((entry) => entry.date)).toEqual(['2026-01-15', '2026-02-01', '2026-03-01']);
    expect(months[1]!.stats[0]!.metrics.delivered).toBe(total(days.filter((day) => day.date.startsWith('2026-02')), 'delivered'));
    expect(total(months, 'requests')).toBe(total(days, 'requests'));

    // 2026-01-15 is a Thursday: the first week is partial, later ones start on Mondays.
    const weeks = await stats({ start_date: '2026-01-15', end_date: '2026-02-01', aggregated_by: 'week' });
    expect(weeks.map((entry) => entry.date)).toEqual(['2026-01-15', '2026-01-19', '2026-01-26']);
    expect(weeks[1]!.stats[0]!.metrics.opens).toBe(total(days.filter((day) => day.date >= '2026-01-19' && day.date <= '2026-01-25'), 'opens'));
  });

  test('a missing or invalid start_date is a 400 naming the field', async () => {
    for (const query of [{}, { start_date: '2026-13-01' }, { start_date: '2026-02-30' }, { start_date: 'yesterday' }]) {
      const failure = await client.request({ method: 'GET', url: '/v3/stats', qs: query }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 400, response: { body: { errors: [{ field: 'start_date', message: expect.any(String) }] } } });
    }
  });

  test('bounces: the whole seed, inclusive time bounds, limit and offset', async () => {
    const [, all] = (await client.request({ method: 'GET', url: '/v3/suppression/bounces' })) as [unknown, Bounce[]];
    expect(all).toHaveLength(BOUNCE_COUNT);
    expect(all[0]).toEqual({ created: expect.any(Number), email: expect.stringContaining('@'), reason: expect.any(String), status: expect.stringMatching(/^5\.\d\.\d$/) });

    const from = all[80]!.created;
    const to = all[20]!.created;
    const [, window] = (await client.request({ method: 'GET', url: '/v3/suppression/bounces', qs: { start_time: from, end_time: to } })) as [unknown, Bounce[]];
    expect(window).toEqual(all.filter((bounce) => bounce.created >= from && bounce.created <= to));
    expect(window.length).toBeGreaterThanOrEqual(61);

    const [, page] = (await client.request({ method: 'GET', url: '/v3/suppression/bounces', qs: { limit: 10, offset: 30 } })) as [unknown, Bounce[]];
    expect(page).toEqual(all.slice(30, 40));
  });

  test('a wrong key is a 401 in SendGrid format', async () => {
    const failure = await client
      .request({ method: 'GET', url: '/v3/suppression/bounces', headers: { Authorization: 'Bearer SG.wrong' } })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 401, response: { body: { errors: [{ field: null, message: 'authorization required' }] } } });
  });
});

describe('SendGrid sandbox over raw HTTP', () => {
  test('every answer carries the X-RateLimit-* headers', async () => {
    const first = await get(sandbox.url, '/v3/stats?start_date=2026-01-01&end_date=2026-01-02');
    const second = await get(sandbox.url, '/v3/stats');
    const unauthorised = await get(sandbox.url, '/v3/suppression/bounces', null);
    expect([first.status, second.status, unauthorised.status]).toEqual([200, 400, 401]);
    for (const { headers } of [first, second, unauthorised]) {
      expect(headers.get('x-ratelimit-limit')).toBe('600');
      expect(Number(headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    }
    expect(Number(second.headers.get('x-ratelimit-remaining'))).toBe(Number(first.headers.get('x-ratelimit-remaining')) - 1);
  });

  test('the window runs out with a 429 and is fresh again at X-RateLimit-Reset', async () => {
    await fetch(`${limited.url}/__admin/reset`, { method: 'POST' });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { status, headers } = await get(limited.url, '/v3/suppression/bounces?limit=1');
      expect(status).toBe(200);
      remaining.push(headers.get('x-ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await get(limited.url, '/v3/suppression/bounces?limit=1');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ errors: [{ field: null, message: 'too many requests' }] });
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(refused.headers.get('x-ratelimit-reset'));
    expect(reset * 1000).toBeGreaterThanOrEqual(clock + 10_000);

    clock = reset * 1000 - 1;
    expect((await get(limited.url, '/v3/suppression/bounces?limit=1')).status).toBe(429);
    clock = reset * 1000;
    const again = await get(limited.url, '/v3/suppression/bounces?limit=1');
    expect(again.status).toBe(200);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('2');
  });

  test('admin reset opens a fresh window; injected faults use SendGrid errors', async () => {
    for (let i = 0; i < 4; i += 1) await get(limited.url, '/v3/suppression/bounces?limit=1');
    expect((await get(limited.url, '/v3/suppression/bounces?limit=1')).status).toBe(429);
    await fetch(`${limited.url}/__admin/reset`, { method: 'POST' });
    expect((await get(limited.url, '/v3/suppression/bounces?limit=1')).status).toBe(200);

    try {
      await fetch(`${limited.url}/__admin/faults`, { method: 'POST', body: JSON.stringify({ rateLimited: true }) });
      const faulted = await get(limited.url, '/v3/suppression/bounces');
      expect(faulted.status).toBe(429);
      expect(faulted.headers.get('retry-after')).toBe('1');
      expect(faulted.body).toEqual({ errors: [{ field: null, message: 'too many requests' }] });
    } finally {
      await fetch(`${limited.url}/__admin/reset`, { method: 'POST' });
    }
    await get(limited.url, '/v3/suppression/bounces?limit=1');
    expect(await (await fetch(`${limited.url}/__admin/stats`)).json()).toEqual({ requests: 1 });
  });
});
