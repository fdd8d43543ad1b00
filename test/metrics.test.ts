/**
 * Each service's /metrics, scraped as Prometheus would: its own series in the text
 * exposition format, and the seed's metrics moving when the matching thing happens.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LATENCY_BUCKETS } from '../kit/service-metrics.ts';
import { metricValue, scrape } from './support/prometheus.ts';
import { eventually, FAST_RESILIENCE, setFaults, startTestStack, type TestStack } from './support/stack.ts';
import { subscribe, waitForSubscribers, wsClient } from './support/subscribers.ts';

describe('metrics', () => {
  let stack: TestStack;
  let viewer: string;
  const gateway = () => stack.gateway!.url;
  const plants = () => stack.subgraphs.get('plants')!.url;

  beforeAll(async () => {
    stack = await startTestStack({ env: { ...FAST_RESILIENCE, REFUSED_PER_ADDRESS_PER_WINDOW: '5' } });
    viewer = await stack.token('VIEWER');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('serves each service its own series, with HELP and TYPE and the process metrics', async () => {
    await stack.query('query Warmup { plant(id: "plant-001") { id } }', { token: viewer });
    const services = [
      ['gateway', gateway(), 'api_latency_seconds', 'histogram'],
      ['plants', plants(), 'api_latency_seconds', 'histogram'],
      ['audit', stack.subgraphs.get('audit')!.url, 'audit_oldest_undelivered_age_seconds', 'gauge'],
      ['plant-api-sandbox', stack.plantApi.url, 'process_cpu_seconds_total', 'counter'],
    ] as const;
    for (const [service, url, metric, type] of services) {
      const { text, samples, contentType } = await scrape(url);
      expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(samples.length).toBeGreaterThan(0);
      expect(samples.filter((sample) => sample.labels.service !== service)).toEqual([]);
      expect(text).toMatch(/^# TYPE process_resident_memory_bytes gauge$/m);
      expect(text).toMatch(new RegExp(`^# HELP ${metric} .+$`, 'm'));
      expect(text).toMatch(new RegExp(`^# TYPE ${metric} ${type}$`, 'm'));
    }
    const gatewayText = (await scrape(gateway())).text;
    expect(gatewayText).not.toMatch(/upstream_up/);
    expect((await scrape(plants())).text).toMatch(/^upstream_up\{api="plant-api",service="plants"\} 1$/m);
  });

  it('counts a gateway answer in api_latency_seconds by operation and outcome', async () => {
    const labels = { operation: 'PlantNames', outcome: 'success' };
    const before = await metricValue(gateway(), 'api_latency_seconds_count', labels);
    const { body } = await stack.query('query PlantNames { plants(first: 2) { edges { node { name } } } }', { token: viewer });
    expect(body.errors).toBeUndefined();
    expect(await metricValue(gateway(), 'api_latency_seconds_count', labels)).toBe(before + 1);
    expect(await metricValue(gateway(), 'api_latency_seconds_bucket', { ...labels, le: '+Inf' })).toBe(before + 1);
    // Bucket edges at the 200 ms budget and at the 400 ms the p95 alert compares with.
    const edges = (await scrape(gateway())).samples.filter((sample) => sample.name === 'api_latency_seconds_bucket' && sample.labels.operation === 'PlantNames').map((sample) => sample.labels.le);
    expect(edges).toEqual([...LATENCY_BUCKETS.map(String), '+Inf']);
    expect(edges).toEqual(expect.arrayContaining(['0.2', '0.4']));
  });

  it('counts an upstream call in api_latency_seconds by api and status', async () => {
    const labels = { api: 'plant-api', status: '200' };
    const before = await metricValue(plants(), 'api_latency_seconds_count', labels);
    // A plant no other test reads: not in the cache, so the Plant API is called.
    const { body } = await stack.query('{ plant(id: "plant-093") { id } }', { token: viewer });
    expect(body.errors).toBeUndefined();
    expect(await metricValue(plants(), 'api_latency_seconds_count', labels)).toBeGreaterThan(before);
    const misses = await metricValue(plants(), 'upstream_cache_misses_total', { api: 'plant-api' });
    await stack.query('{ plant(id: "plant-093") { id } }', { token: viewer });
    expect(await metricValue(plants(), 'upstream_cache_hits_total', { api: 'plant-api' })).toBeGreaterThan(0);
    expect(await metricValue(plants(), 'upstream_cache_misses_total', { api: 'plant-api' })).toBe(misses);
  });

  it('counts a refused token in auth_failures_total by reason, and every check in auth_requests_total', async () => {
    const requests = await metricValue(gateway(), 'auth_requests_total');
    const invalid = await metricValue(gateway(), 'auth_failures_total', { reason: 'invalid' });
    const missing = await metricValue(gateway(), 'auth_failures_total', { reason: 'missing' });
    expect((await stack.query('{ plantApiStatus { up } }', { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' })).status).toBe(401);
    expect((await stack.query('{ plantApiStatus { up } }')).status).toBe(401);
    expect(await metricValue(gateway(), 'auth_failures_total', { reason: 'invalid' })).toBe(invalid + 1);
    expect(await metricValue(gateway(), 'auth_failures_total', { reason: 'missing' })).toBe(missing + 1);
    expect(await metricValue(gateway(), 'auth_requests_total')).toBe(requests + 2);
    expect(await metricValue(gateway(), 'api_latency_seconds_count', { outcome: 'error' })).toBeGreaterThan(0);
  });

  it('counts refusals of a rate limit', async () => {
    const before = await metricValue(gateway(), 'rate_limit_refusals_total', { limit: 'refused-address' });
    // 5 refused tokens a window from one address; the earlier test spent some of them.
    let status = 0;
    for (let attempt = 0; attempt < 10 && status !== 429; attempt += 1) status = (await stack.query('{ plantApiStatus { up } }', { token: 'not-a-token' })).status;
    expect(status).toBe(429);
    expect(await metricValue(gateway(), 'rate_limit_refusals_total', { limit: 'refused-address' })).toBe(before + 1);
  });

  it('counts answers that carry the downtime banner, and shows the upstream down and its breaker', async () => {
    const banners = () => metricValue(plants(), 'downtime_banner_displayed_total');
    const before = await banners();
    await setFaults(stack.plantApi.url, { down: true });
    try {
      await eventually(async () => ((await metricValue(plants(), 'upstream_up', { api: 'plant-api' })) === 0 ? true : undefined));
      // Without the banner in the selection, no banner was displayed.
      const quiet = await stack.query<{ plantApiStatus: { up: boolean } }>('{ plantApiStatus { up } }', { token: viewer });
      expect(quiet.body.data?.plantApiStatus.up).toBe(false);
      expect(await banners()).toBe(before);
      const shown = await stack.query<{ plantApiStatus: { banner: { message: string } | null } }>('{ plantApiStatus { banner { message } } }', { token: viewer });
      expect(shown.body.data?.plantApiStatus.banner?.message).toMatch(/out of date/);
      expect(await banners()).toBe(before + 1);

      // Fresh plants fail through the breaker: five failed calls open it (FAST_RESILIENCE keeps the retries short).
      for (let i = 0; i < 6; i += 1) await stack.query(`{ plant(id: "plant-1${10 + i}") { id } }`, { token: viewer });
      expect(await metricValue(plants(), 'upstream_failures_total', { api: 'plant-api' })).toBeGreaterThan(0);
      expect(await metricValue(plants(), 'upstream_breaker_state', { api: 'plant-api', state: 'open' })).toBe(1);
    } finally {
      await setFaults(stack.plantApi.url, { down: false });
    }
    await eventually(async () => ((await metricValue(plants(), 'upstream_up', { api: 'plant-api' })) === 1 ? true : undefined));
    expect(await metricValue(plants(), 'upstream_breaker_state', { api: 'plant-api', state: 'closed' })).toBe(1);
  });

  it('counts live subscriptions, alerts published by plants and alerts pushed by the gateway', async () => {
    const published = await metricValue(plants(), 'downtime_alerts_published_total', { kind: 'PLANT_OFFLINE' });
    const delivered = await metricValue(gateway(), 'downtime_alerts_delivered_total', { kind: 'PLANT_OFFLINE' });
    const client = wsClient(stack, viewer);
    const subscriber = subscribe(client, { ids: ['plant-061'] });
    try {
      await waitForSubscribers(stack.gateway!, 1);
      expect(await metricValue(gateway(), 'downtime_subscriptions_active')).toBe(1);
      await stack.query('{ plant(id: "plant-061") { status } }', { token: viewer }); // seen once: the change is a transition
      await fetch(`${stack.plantApi.url}/__admin/plants/plant-061`, { method: 'POST', body: JSON.stringify({ status: 'OFFLINE' }) });
      await eventually(() => (subscriber.received.length > 0 ? true : undefined));
      expect(await metricValue(plants(), 'downtime_alerts_published_total', { kind: 'PLANT_OFFLINE' })).toBe(published + 1);
      expect(await metricValue(gateway(), 'downtime_alerts_delivered_total', { kind: 'PLANT_OFFLINE' })).toBe(delivered + 1);
    } finally {
      subscriber.dispose();
      await client.dispose();
    }
    await eventually(async () => ((await metricValue(gateway(), 'downtime_subscriptions_active')) === 0 ? true : undefined));
  });
});
