/**
 * Liveness and readiness as an orchestrator sees them: `/health` cheap and always 200 while
 * the process lives, listing each upstream's state, breaker and last success; `/ready` 200
 * only when the service can serve (schema loaded, Redis and PostgreSQL answering when
 * configured), 503 with the reason otherwise. Run against real Redis and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { readyAnswer } from '../kit/health-routes.ts';
import { redisReachable } from '../kit/redis.ts';
import { createServiceTelemetry } from '../kit/service-telemetry.ts';
import { baseOf } from './support/prometheus.ts';
import { DATABASE_URL, REDIS_URL } from './support/services.ts';
import { eventually, FAST_RESILIENCE, setFaults, startTestStack, type TestStack } from './support/stack.ts';

interface HealthBody {
  status: string;
  service: string;
  upstreams: { api: string; state: string; since: string; breaker: string; lastSuccessAt: string | null }[];
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

describe('health and readiness', () => {
  let stack: TestStack;
  const schema = `audit_test_${randomUUID().replace(/-/g, '')}`;

  beforeAll(async () => {
    stack = await startTestStack({ env: { ...FAST_RESILIENCE, REDIS_URL, DATABASE_URL, AUDIT_SCHEMA: schema } });
  });
  afterAll(async () => {
    await stack.close();
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('answers /health on the gateway, every subgraph and every sandbox', async () => {
    const urls = [stack.gateway!.url, ...[...stack.subgraphs.values()].map((subgraph) => subgraph.url), ...stack.sandboxes.map((sandbox) => sandbox.url)];
    for (const url of urls) {
      const { status, body } = await getJson<HealthBody>(`${baseOf(url)}/health`);
      expect({ url, status, state: body.status }).toEqual({ url, status: 200, state: 'ok' });
    }
  });

  it('lists each upstream with its state, breaker and last success, and stays 200 while one is down', async () => {
    const plants = `${baseOf(stack.subgraphs.get('plants')!.url)}/health`;
    await stack.query('{ plant(id: "plant-077") { id } }', { token: await stack.token('VIEWER') });
    const healthy = await getJson<HealthBody>(plants);
    expect(healthy.body).toMatchObject({ status: 'ok', service: 'plants', upstreams: [{ api: 'plant-api', state: 'up', breaker: 'closed' }] });
    expect(Date.parse(healthy.body.upstreams[0]!.lastSuccessAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    await setFaults(stack.plantApi.url, { down: true });
    try {
      const down = await eventually(async () => {
        const answer = await getJson<HealthBody>(plants);
        return answer.body.upstreams[0]?.state === 'down' ? answer : undefined;
      });
      expect(down.status).toBe(200);
      expect(down.body.status).toBe('degraded');
      expect(down.body.upstreams[0]!.lastSuccessAt).not.toBeNull();
    } finally {
      await setFaults(stack.plantApi.url, { down: false });
    }
    await eventually(async () => ((await getJson<HealthBody>(plants)).body.status === 'ok' ? true : undefined));
  });

  it('is ready with the schema loaded and Redis and PostgreSQL answering', async () => {
    const gateway = await getJson<{ status: string; checks: Record<string, string> }>(`${baseOf(stack.gateway!.url)}/ready`);
    expect(gateway).toEqual({ status: 200, body: { status: 'ready', service: 'gateway', checks: { schema: 'ok', redis: 'ok' } } });
    const audit = await getJson<{ status: string; checks: Record<string, string> }>(`${baseOf(stack.subgraphs.get('audit')!.url)}/ready`);
    expect(audit).toEqual({ status: 200, body: { status: 'ready', service: 'audit', checks: { redis: 'ok', postgresql: 'ok' } } });
  });
});

describe('readiness without its dependencies', () => {
  it('is 503 with the reason when Redis does not answer', async () => {
    const telemetry = createServiceTelemetry('probe');
    telemetry.readiness.add('redis', redisReachable('redis://127.0.0.1:1'));
    const answer = await readyAnswer(telemetry);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ status: 'not ready', service: 'probe', checks: { redis: 'redis is unreachable' } });
  });

  it('is 503 while a check has not passed, and names it', async () => {
    const telemetry = createServiceTelemetry('probe');
    let loaded = false;
    telemetry.readiness.add('schema', async () => (loaded ? undefined : 'the supergraph schema is not loaded'));
    expect(await readyAnswer(telemetry)).toMatchObject({ status: 503, body: { checks: { schema: 'the supergraph schema is not loaded' } } });
    loaded = true;
    expect(await readyAnswer(telemetry)).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('is 503 when a check hangs past its bound', async () => {
    const telemetry = createServiceTelemetry('probe');
    telemetry.readiness.add('postgresql', () => new Promise(() => undefined));
    const started = Date.now();
    const { ready, checks } = await telemetry.readiness.evaluate(100);
    expect(ready).toBe(false);
    expect(checks.postgresql).toBe('postgresql did not answer within 100 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
