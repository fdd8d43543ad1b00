/**
 * Plant downtime alerts pushed over graphql-ws and graphql-sse, resolved through the
 * federated graph per subscriber (masking applies), with auth failures closing the socket.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient as createSseClient } from 'graphql-sse';
import { eventually, FAST_RESILIENCE, setFaults, startTestStack, type TestStack } from './support/stack.ts';
import { ALERTS, subscribe, waitForSubscribers, wsClient, type Alert } from './support/subscribers.ts';

describe('plant downtime subscriptions', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: FAST_RESILIENCE });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('pushes API_DOWN then API_RESTORED to a VIEWER and an ADMIN', async () => {
    const viewer = wsClient(stack, await stack.token('VIEWER'));
    const admin = wsClient(stack, await stack.token('ADMIN'));
    const forViewer = subscribe(viewer);
    const forAdmin = subscribe(admin);
    await waitForSubscribers(stack.gateway!, 2);
    try {
      await setFaults(stack.plantApi.url, { down: true });
      await eventually(() => (forViewer.received.some((a) => a.kind === 'API_DOWN') && forAdmin.received.some((a) => a.kind === 'API_DOWN') ? true : undefined));
      await setFaults(stack.plantApi.url, { down: false });
      await eventually(() => (forViewer.received.some((a) => a.kind === 'API_RESTORED') && forAdmin.received.some((a) => a.kind === 'API_RESTORED') ? true : undefined));
      expect(forViewer.received.map((a) => a.kind)).toEqual(['API_DOWN', 'API_RESTORED']);
      expect(forViewer.received[0]!.plant).toBeNull();
      expect(forViewer.received[0]!.message).toMatch(/down/);
      expect(forViewer.errors).toEqual([]);
    } finally {
      forViewer.dispose();
      forAdmin.dispose();
      await viewer.dispose();
      await admin.dispose();
    }
  });

  it('resolves the plant per subscriber: masked for a VIEWER, plain for an ADMIN, filtered by plantIds', async () => {
    const viewer = wsClient(stack, await stack.token('VIEWER'));
    const admin = wsClient(stack, await stack.token('ADMIN'));
    const forViewer = subscribe(viewer, { ids: ['plant-031'] });
    const forAdmin = subscribe(admin);
    const elsewhere = subscribe(viewer, { ids: ['plant-032'] });
    await waitForSubscribers(stack.gateway!, 3);
    try {
      // Seen once, so the subgraph knows the status it changes from.
      await stack.query(`{ plant(id: "plant-031") { status } }`, { token: await stack.token('VIEWER') });
      await fetch(`${stack.plantApi.url}/__admin/plants/plant-031`, { method: 'POST', body: JSON.stringify({ status: 'OFFLINE' }) });
      await eventually(() => (forViewer.received.length > 0 && forAdmin.received.length > 0 ? true : undefined));
      const masked = forViewer.received[0]!;
      expect(masked.kind).toBe('PLANT_OFFLINE');
      expect(masked.plant).toMatchObject({ id: 'plant-031', status: 'OFFLINE' });
      expect(masked.plant!.operator.email).toMatch(/^[a-z]\*\*\*@example\.com$/);
      expect(masked.plant!.operator.phone).toMatch(/^\*\*\*-\*\*\*-\d{4}$/);
      const plain = forAdmin.received[0]!;
      expect(plain.plant!.operator.email).toMatch(/^[a-z]+\.[a-z]+@example\.com$/);

      await fetch(`${stack.plantApi.url}/__admin/plants/plant-031`, { method: 'POST', body: JSON.stringify({ status: 'ONLINE' }) });
      await eventually(() => (forViewer.received.length > 1 ? true : undefined));
      expect(forViewer.received[1]!.kind).toBe('PLANT_ONLINE');
      expect(elsewhere.received).toEqual([]);
    } finally {
      forViewer.dispose();
      forAdmin.dispose();
      elsewhere.dispose();
      await viewer.dispose();
      await admin.dispose();
    }
  });

  it('closes with 4401 without a token and 4403 with a bad one', async () => {
    const codes: number[] = [];
    const anonymous = wsClient(stack, undefined, (code) => codes.push(code));
    const bad = wsClient(stack, 'not-a-token', (code) => codes.push(code));
    subscribe(anonymous);
    subscribe(bad);
    await eventually(() => (codes.length === 2 ? true : undefined));
    expect(codes.sort()).toEqual([4401, 4403]);
    await anonymous.dispose();
    await bad.dispose();
  });

  it('ends the subscription when the token expires', async () => {
    const codes: number[] = [];
    const client = wsClient(stack, await stack.token('VIEWER', { ttlSeconds: 1 }), (code) => codes.push(code));
    subscribe(client);
    await eventually(() => (codes.length > 0 ? true : undefined), { timeoutMs: 5000 });
    expect(codes[0]).toBe(4403);
    await client.dispose();
  });

  it('refuses a subscriber whose roles grant no plants:read', async () => {
    const token = await stack.tokenWithRoles(['CONTRACTOR'], 'contractor-1');
    const client = wsClient(stack, token);
    const result = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: ALERTS }, { next: resolve, error: resolve, complete: () => resolve('complete') });
    });
    expect(JSON.stringify(result)).toMatch(/FORBIDDEN/);
    await client.dispose();
  });

  it('ends an SSE stream when its token expires', async () => {
    const token = await stack.token('VIEWER', { ttlSeconds: 1 });
    const client = createSseClient({ url: `${stack.gateway!.url}/stream`, headers: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    const ended = await new Promise<string>((resolve) => {
      client.subscribe({ query: ALERTS }, { next: () => undefined, error: () => resolve('error'), complete: () => resolve('complete') });
    });
    expect(ended).toBe('complete');
    client.dispose();
  });

  it('refuses queries over the socket', async () => {
    const client = wsClient(stack, await stack.token('VIEWER'));
    const result = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: '{ plantApiStatus { up } }' }, { next: resolve, error: resolve, complete: () => undefined });
    });
    expect(JSON.stringify(result)).toMatch(/Only subscriptions/);
    await client.dispose();
  });

  it('delivers the same alerts over Server-Sent Events', async () => {
    const token = await stack.token('VIEWER');
    const client = createSseClient({ url: `${stack.gateway!.url}/stream`, headers: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    const received: Alert[] = [];
    const dispose = client.subscribe<{ plantDowntime: Alert }>({ query: ALERTS }, { next: (m) => void (m.data && received.push(m.data.plantDowntime)), error: () => undefined, complete: () => undefined });
    await waitForSubscribers(stack.gateway!, 1);
    try {
      await setFaults(stack.plantApi.url, { down: true });
      await eventually(() => (received.some((a) => a.kind === 'API_DOWN') ? true : undefined));
      await setFaults(stack.plantApi.url, { down: false });
      await eventually(() => (received.some((a) => a.kind === 'API_RESTORED') ? true : undefined));
    } finally {
      dispose();
      client.dispose();
    }
  });

  it('refuses an SSE stream without a token with 401', async () => {
    const response = await fetch(`${stack.gateway!.url}/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: ALERTS }),
    });
    expect(response.status).toBe(401);
    await response.body?.cancel();
  });

  it('tells a subscription sent over plain HTTP where to go, with a 400', async () => {
    const { status, body } = await stack.query(ALERTS, { token: await stack.token('VIEWER') });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(body.errors?.[0]?.message).toMatch(/graphql-ws.*\/graphql\/stream/);
  });

  it('shows the subscription root in introspection, as Sandbox and GraphiQL ask for it', async () => {
    const { body } = await stack.query<{ __schema: { subscriptionType: { fields: { name: string }[] } | null }; kinds: { enumValues: { name: string; description: string }[] } }>(
      `{ __schema { subscriptionType { fields { name } } } kinds: __type(name: "PlantDowntimeKind") { enumValues { name description } } }`,
      { token: await stack.token('ANALYST') },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.__schema.subscriptionType!.fields.map((field) => field.name)).toEqual(['plantDowntime']);
    expect(body.data!.kinds.enumValues.map((value) => value.name)).toEqual(['API_DOWN', 'API_RESTORED', 'PLANT_OFFLINE', 'PLANT_ONLINE', 'PLANT_DEGRADED', 'PLANT_MAINTENANCE']);
    expect(body.data!.kinds.enumValues.every((value) => value.description.length > 10)).toBe(true);
  });

  it('answers an SSE request without Accept: text/event-stream with what to send', async () => {
    const response = await fetch(`${stack.gateway!.url}/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token('VIEWER')}` },
      body: JSON.stringify({ query: ALERTS }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toMatch(/Accept: text\/event-stream/);
  });

  it.each([
    ['DEGRADED', 'PLANT_DEGRADED'],
    ['MAINTENANCE', 'PLANT_MAINTENANCE'],
    ['ONLINE', 'PLANT_ONLINE'],
  ])('alerts a plant going %s with %s', async (status, kind) => {
    const client = wsClient(stack, await stack.token('VIEWER'));
    const alerts = subscribe(client, { ids: ['plant-035'] });
    await waitForSubscribers(stack.gateway!, 1);
    try {
      await stack.query(`{ plant(id: "plant-035") { status } }`, { token: await stack.token('VIEWER') });
      await fetch(`${stack.plantApi.url}/__admin/plants/plant-035`, { method: 'POST', body: JSON.stringify({ status }) });
      const alert = await eventually(() => alerts.received[0]);
      expect(alert).toMatchObject({ kind, plant: { id: 'plant-035', status } });
    } finally {
      alerts.dispose();
      await client.dispose();
    }
  });
});
