/** The Plant API's signed change webhooks: valid ones invalidate at once, bad ones change nothing. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signWebhook } from '../kit/webhook-signature.ts';
import { PLANT_WEBHOOK_PATH } from '../subgraphs/plants/webhooks.ts';
import { startTestStack, type TestStack } from './support/stack.ts';

const STATUS = (id: string) => `{ plant(id: "${id}") { id status } }`;

describe('plant change webhooks', () => {
  let stack: TestStack;
  let token: string;
  let webhookUrl: string;
  beforeAll(async () => {
    stack = await startTestStack({ env: { PLANT_API_HEALTH_PROBE_MS: '3600000' } });
    token = await stack.token('VIEWER');
    webhookUrl = stack.subgraphs.get('plants')!.url.replace(/\/graphql$/, PLANT_WEBHOOK_PATH);
  });
  afterAll(async () => {
    await stack.close();
  });

  async function statusOf(id: string): Promise<{ status: string; requests: number }> {
    const before = stack.plantApi.requests();
    const { body } = await stack.query<{ plant: { status: string } }>(STATUS(id), { token });
    return { status: body.data!.plant.status, requests: stack.plantApi.requests() - before };
  }

  function post(body: string, signature?: string) {
    return fetch(webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(signature ? { 'X-Plant-Signature': signature } : {}) }, body });
  }

  it('shows a status change made upstream at once, through the signed webhook', async () => {
    await statusOf('plant-010');
    expect((await statusOf('plant-010')).requests).toBe(0); // cached
    const before = stack.plantApi.requests();
    const response = await fetch(`${stack.plantApi.url}/__admin/plants/plant-010`, { method: 'POST', body: JSON.stringify({ status: 'MAINTENANCE' }) });
    expect(response.status).toBe(200);
    const after = await statusOf('plant-010');
    expect(after.status).toBe('MAINTENANCE');
    // The webhook dropped the plant and fetched it afresh (one call); the query was then a hit.
    expect(after.requests).toBe(0);
    expect(stack.plantApi.requests() - before).toBe(1);
  });

  it('drops cached list pages too, so a status filter never shows a stale plant', async () => {
    const list = `{ plants(first: 50, status: OFFLINE) { totalCount edges { node { id } } } }`;
    const before = await stack.query<{ plants: { totalCount: number; edges: { node: { id: string } }[] } }>(list, { token });
    const online = 'plant-002';
    expect(before.body.data!.plants.edges.map((edge) => edge.node.id)).not.toContain(online);
    await fetch(`${stack.plantApi.url}/__admin/plants/${online}`, { method: 'POST', body: JSON.stringify({ status: 'OFFLINE' }) });
    const after = await stack.query<{ plants: { totalCount: number; edges: { node: { id: string } }[] } }>(list, { token });
    expect(after.body.data!.plants.totalCount).toBe(before.body.data!.plants.totalCount + 1);
    expect(after.body.data!.plants.edges.map((edge) => edge.node.id)).toContain(online);
  });

  it.each([
    ['no signature', undefined],
    ['a signature made with another secret', signWebhook('not-the-secret', '{}')],
    ['a stale signature (10 minutes old)', 'stale'],
    ['a tampered body', 'tampered'],
  ])('refuses %s with 401 and keeps the cache', async (_case, kind) => {
    await statusOf('plant-015');
    const body = JSON.stringify({ event: 'plant.updated', plant_id: 'plant-015', at: new Date().toISOString() });
    const secret = stack.upstreams.plantApi.webhookSecret;
    let signature = kind;
    if (kind === 'stale') signature = signWebhook(secret, body, Math.floor(Date.now() / 1000) - 600);
    if (kind === 'tampered') signature = signWebhook(secret, body.replace('plant-015', 'plant-016'));
    if (kind?.startsWith('t=')) signature = signWebhook('not-the-secret', body);
    const response = await post(body, signature);
    expect(response.status).toBe(401);
    expect(JSON.stringify(await response.json())).not.toMatch(/secret|stack/i);
    expect((await statusOf('plant-015')).requests).toBe(0);
  });

  it('accepts a valid signature made by hand and invalidates the plant', async () => {
    await statusOf('plant-017');
    const body = JSON.stringify({ event: 'plant.updated', plant_id: 'plant-017', at: new Date().toISOString() });
    const before = stack.plantApi.requests();
    const response = await post(body, signWebhook(stack.upstreams.plantApi.webhookSecret, body));
    expect(response.status).toBe(200);
    expect(stack.plantApi.requests() - before).toBe(1); // fetched afresh at once
    expect((await statusOf('plant-017')).requests).toBe(0);
  });
});
