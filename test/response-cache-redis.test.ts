/**
 * The response cache through Redis: two gateway replicas (one in a process of its own)
 * share entries, and a change announced once drops the entry for both.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process.ts';
import { REDIS_URL } from './support/services.ts';
import { eventually, startTestStack, type TestStack } from './support/stack.ts';

const PLANT = `query Plant($id: ID!) { plant(id: $id) { id status operator { email } } }`;
type PlantAnswer = { plant: { id: string; status: string; operator: { email: string } } };

describe('the response cache through Redis', () => {
  let stack: TestStack;
  let replica: GatewayProcess;
  let viewer: string;
  beforeAll(async () => {
    stack = await startTestStack({ env: { REDIS_URL, KEY_PREFIX: `response-cache-${randomUUID()}:`, RESPONSE_CACHE: 'on', PLANT_API_HEALTH_PROBE_MS: '3600000' } });
    replica = await startGatewayProcess(stack.env);
    viewer = await stack.token('VIEWER');
  });
  afterAll(async () => {
    await replica?.stop();
    await stack?.close();
  });

  const plant = (id: string, url: string) => stack.query<PlantAnswer>(PLANT, { token: viewer, variables: { id }, url });

  it('serves on one replica what the other stored', async () => {
    const first = await plant('plant-041', stack.gateway!.url);
    expect(first.headers.get('x-cache')).toBe('miss');
    // Stores are not waited for by the answer: the other replica finds it a moment later.
    const shared = await eventuallyHit(() => plant('plant-041', replica.url));
    expect(shared.body).toEqual(first.body);
  });

  it('drops the entry on both replicas when a webhook announces the change', async () => {
    await plant('plant-042', replica.url);
    await eventuallyHit(() => plant('plant-042', stack.gateway!.url));
    const changed = await fetch(`${stack.plantApi.url}/__admin/plants/plant-042`, { method: 'POST', body: JSON.stringify({ status: 'MAINTENANCE' }) });
    expect(changed.status).toBe(200);
    // The replica that stored it hears of the change through Redis; the drop is in Redis already.
    const next = await plant('plant-042', replica.url);
    expect(next.headers.get('x-cache')).toBe('miss');
    expect(next.body.data!.plant.status).toBe('MAINTENANCE');
    expect((await plant('plant-042', stack.gateway!.url)).body.data!.plant.status).toBe('MAINTENANCE');
  });
});

/** The answer once the query is a hit. */
function eventuallyHit<T extends { headers: Headers }>(ask: () => Promise<T>): Promise<T> {
  return eventually(async () => {
    const answer = await ask();
    return answer.headers.get('x-cache') === 'hit' ? answer : undefined;
  });
}
