import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../kit/webhook-signature.ts';
import { startPlantApi, type RunningPlantApi } from '../sandbox/plant-api/server.ts';
import type { Plant, Reading } from '../sandbox/plant-api/wire-format.ts';

const CLIENT = { clientId: 'test-client', clientSecret: 'test-secret' };
const WEBHOOK_SECRET = 'test-webhook-secret';
const HOUR_MS = 60 * 60 * 1000;

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook subscriber that records what it receives. */
async function startReceiver(): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/plant-api`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let api: RunningPlantApi;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  api = await startPlantApi({ port: 0, ...CLIENT, tokenTtlSeconds: 60, webhookSecret: WEBHOOK_SECRET, webhookTarget: receiver.url });
});

afterAll(async () => {
  await api.close();
  await receiver.close();
});

beforeEach(async () => {
  await fetch(`${api.url}/__admin/reset`, { method: 'POST' });
});

async function requestToken(clientSecret = CLIENT.clientSecret): Promise<Response> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: clientSecret, scope: 'plants.read' });
  return fetch(`${api.url}/oauth/token`, { method: 'POST', body: form });
}

async function token(): Promise<string> {
  const body = (await (await requestToken()).json()) as { access_token: string };
  return body.access_token;
}

async function get(path: string, accessToken?: string): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${api.url}${path}`, accessToken ? { headers: { Authorization: `Bearer ${accessToken}` } } : {});
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function admin(path: string, body: unknown): Promise<Response> {
  return fetch(`${api.url}/__admin/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

describe('auth', () => {
  it('issues client-credentials tokens and refuses bad clients', async () => {
    const good = await requestToken();
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ token_type: 'Bearer', expires_in: 60, access_token: expect.any(String) });
    expect((await requestToken('wrong')).status).toBe(401);
  });

  it('answers 401 without a valid bearer token, but health is open', async () => {
    expect((await get('/v1/plants')).status).toBe(401);
    expect((await get('/v1/plants/plant-001', 'not-a-token')).status).toBe(401);
    expect(await get('/v1/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('forgets tokens on revoke', async () => {
    const accessToken = await token();
    expect((await get('/v1/plants/plant-001', accessToken)).status).toBe(200);
    await fetch(`${api.url}/__admin/revoke-tokens`, { method: 'POST' });
    expect((await get('/v1/plants/plant-001', accessToken)).status).toBe(401);
  });
});

describe('plants', () => {
  it('pages through all 120 plants', async () => {
    const accessToken = await token();
    const first = await get('/v1/plants', accessToken);
    expect(first.body).toMatchObject({ page: 1, per_page: 50, total: 120 });
    expect(first.body.data).toHaveLength(50);
    expect(first.body.data[0].id).toBe('plant-001');
    const last = await get('/v1/plants?page=3&per_page=50', accessToken);
    expect(last.body.data.map((plant: Plant) => plant.id)).toEqual(Array.from({ length: 20 }, (_, i) => `plant-${101 + i}`));
    expect((await get('/v1/plants?per_page=100', accessToken)).body.data).toHaveLength(100);
  });

  it('has the Plant wire format', async () => {
    const { body } = await get('/v1/plants/plant-007', await token());
    expect(body).toEqual({
      id: 'plant-007',
      name: expect.any(String),
      site: expect.any(String),
      status: expect.stringMatching(/^(ONLINE|DEGRADED|OFFLINE|MAINTENANCE)$/),
      capacity_mw: expect.any(Number),
      operator: { name: expect.any(String), email: expect.stringMatching(/^[a-z]+\.[a-z]+@example\.com$/), phone: expect.stringMatching(/^\+1-555-010-\d{4}$/) },
      updated_at: expect.any(String),
    });
    expect(new Date(body.updated_at).toISOString()).toBe(body.updated_at);
  });

  it('filters by status', async () => {
    const accessToken = await token();
    const counts: Record<string, number> = {};
    for (const status of ['ONLINE', 'DEGRADED', 'OFFLINE', 'MAINTENANCE']) {
      const { body } = await get(`/v1/plants?status=${status}&per_page=100`, accessToken);
      expect(body.data.every((plant: Plant) => plant.status === status)).toBe(true);
      counts[status] = body.total;
    }
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(120);
    expect(counts.ONLINE).toBeGreaterThan(60);
    expect(counts.OFFLINE).toBeGreaterThan(0);
  });

  it('rejects bad list parameters with 400 bad_request', async () => {
    const accessToken = await token();
    for (const query of ['per_page=101', 'per_page=0', 'page=0', 'page=abc', 'status=BROKEN']) {
      const { status, body } = await get(`/v1/plants?${query}`, accessToken);
      expect(status).toBe(400);
      expect(body.error).toEqual({ code: 'bad_request', message: expect.any(String) });
    }
  });

  it('serves batches by id, leaving unknown ids out', async () => {
    const accessToken = await token();
    const { status, body } = await get('/v1/plants?ids=plant-003,plant-999,plant-001', accessToken);
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['data']);
    expect(body.data.map((plant: Plant) => plant.id)).toEqual(['plant-003', 'plant-001']);
    const tooMany = Array.from({ length: 101 }, (_, i) => `plant-${i}`).join(',');
    expect((await get(`/v1/plants?ids=${tooMany}`, accessToken)).status).toBe(400);
  });

  it('answers 404 not_found for an unknown plant', async () => {
    const accessToken = await token();
    const { status, body } = await get('/v1/plants/plant-121', accessToken);
    expect(status).toBe(404);
    expect(body.error).toEqual({ code: 'not_found', message: expect.any(String) });
    expect((await get('/v1/plants/plant-121/readings', accessToken)).status).toBe(404);
  });
});

describe('readings', () => {
  // Two days back is well inside the seven-day window, whenever the test runs.
  const to = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 48 * HOUR_MS);
  const from = new Date(to.getTime() - 9 * HOUR_MS);
  const range = `from=${from.toISOString()}&to=${to.toISOString()}`;

  it('pages hourly readings within the range, stable across calls', async () => {
    const accessToken = await token();
    const page1 = await get(`/v1/plants/plant-007/readings?${range}&per_page=4`, accessToken);
    expect(page1.body).toMatchObject({ page: 1, per_page: 4, total: 10 });
    expect(page1.body.data[0]).toEqual({ at: from.toISOString(), output_mw: expect.any(Number), temperature_c: expect.any(Number) });
    const page3 = await get(`/v1/plants/plant-007/readings?${range}&per_page=4&page=3`, accessToken);
    expect(page3.body.data.map((reading: Reading) => reading.at)).toEqual([new Date(to.getTime() - HOUR_MS).toISOString(), to.toISOString()]);
    const all = await get(`/v1/plants/plant-007/readings?${range}`, accessToken);
    expect(all.body.data.slice(0, 4)).toEqual(page1.body.data);
  });

  it('defaults to the last seven days and rejects bad instants', async () => {
    const accessToken = await token();
    expect((await get('/v1/plants/plant-001/readings', accessToken)).body.total).toBe(168);
    expect((await get('/v1/plants/plant-001/readings?from=yesterday', accessToken)).status).toBe(400);
    expect((await get(`/v1/plants/plant-001/readings?from=${to.toISOString()}&to=${from.toISOString()}`, accessToken)).status).toBe(400);
  });
});

describe('admin surface', () => {
  afterEach(async () => {
    await fetch(`${api.url}/__admin/reset`, { method: 'POST' });
  });

  it('goes down with 503', async () => {
    await admin('faults', { down: true });
    expect((await get('/v1/health')).status).toBe(503);
  });

  it('rate limits with 429 and Retry-After', async () => {
    await admin('faults', { rateLimited: true });
    const { status, headers } = await get('/v1/health');
    expect(status).toBe(429);
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('adds latency', async () => {
    await admin('faults', { latencyMs: 200 });
    const started = performance.now();
    await get('/v1/health');
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
  });

  it('counts requests, token requests included, and reset restores everything', async () => {
    const accessToken = await token();
    await get('/v1/plants/plant-007', accessToken);
    await get('/v1/health');
    expect(await (await fetch(`${api.url}/__admin/stats`)).json()).toEqual({ requests: 3 });

    expect((await admin('plants/plant-007', { status: 'MAINTENANCE' })).status).toBe(200);
    await admin('faults', { latencyMs: 5 });
    await fetch(`${api.url}/__admin/reset`, { method: 'POST' });

    expect(await (await fetch(`${api.url}/__admin/stats`)).json()).toEqual({ requests: 0 });
    expect(api.faults).toEqual({ down: false, latencyMs: 0, errorRate: 0, rateLimited: false });
    expect((await get('/v1/plants/plant-007', accessToken)).status).toBe(401);
    const { body } = await get('/v1/plants/plant-007', await token());
    expect(body.status).toBe('ONLINE');
    expect(body.updated_at).toBe('2025-01-06T03:41:00.000Z');
  });
});

describe('plant changes', () => {
  it('changes the plant and fires a correctly signed webhook', async () => {
    receiver.deliveries.length = 0;
    const before = Date.now();
    const response = await admin('plants/plant-007', { status: 'OFFLINE' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'plant-007', status: 'OFFLINE' });

    expect(receiver.deliveries).toHaveLength(1);
    const [delivery] = receiver.deliveries as [Delivery];
    const event = JSON.parse(delivery.body);
    expect(event).toEqual({ event: 'plant.updated', plant_id: 'plant-007', at: expect.any(String) });
    expect(Date.parse(event.at)).toBeGreaterThanOrEqual(before);
    const signature = String(delivery.headers['x-plant-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(signature, delivery.body, [WEBHOOK_SECRET])).toBe('valid');
    expect(verifyWebhook(signature, delivery.body, ['another-secret'])).toBe('mismatch');

    const { body } = await get('/v1/plants/plant-007', await token());
    expect(body).toMatchObject({ status: 'OFFLINE', updated_at: event.at });
  });

  it('validates the admin call', async () => {
    expect((await admin('plants/plant-007', { status: 'EXPLODED' })).status).toBe(400);
    expect((await admin('plants/plant-404', { status: 'OFFLINE' })).status).toBe(404);
  });

  it('offers the change as a method too', async () => {
    receiver.deliveries.length = 0;
    await api.setPlantStatus('plant-002', 'DEGRADED');
    expect(JSON.parse(receiver.deliveries[0]?.body ?? '{}')).toMatchObject({ plant_id: 'plant-002' });
    await expect(api.setPlantStatus('plant-999', 'OFFLINE')).rejects.toThrow('plant-999');
  });

  it('keeps the change when webhook delivery fails', async () => {
    // fetch refuses port 9 outright, so the delivery fails the same way on every machine.
    const unreachable = await startPlantApi({ port: 0, ...CLIENT, tokenTtlSeconds: 60, webhookSecret: WEBHOOK_SECRET, webhookTarget: 'http://127.0.0.1:9/' });
    const warn = console.warn;
    const logged: string[] = [];
    console.warn = (line: string) => logged.push(line);
    try {
      const response = await fetch(`${unreachable.url}/__admin/plants/plant-001`, { method: 'POST', body: '{"status":"OFFLINE"}' });
      expect(response.status).toBe(200);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/webhook plant.updated plant-001 .* failed/);
      expect(logged[0]).not.toContain('\n');
    } finally {
      console.warn = warn;
      await unreachable.close();
    }
  });
});
