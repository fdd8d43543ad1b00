/** Partial data: a subgraph that is down, or stops answering, nulls its own fields, never the whole response. */
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './support/stack.ts';

/** Asks for a plant and a charge: the plant answers, the charge is nulled with payments' UPSTREAM_UNAVAILABLE. */
async function expectPaymentsNulled(stack: TestStack) {
  const { status, body } = await stack.query<{ plant: { name: string } | null; charge: unknown }>(
    `{ plant(id: "plant-001") { name } charge(id: "ch_anything") { id } }`,
    { token: await stack.token('VIEWER') },
  );
  expect(status).toBe(200);
  expect(body.data?.plant?.name).toBeTruthy();
  expect(body.data?.charge).toBeNull();
  expect(body.errors?.[0]).toMatchObject({ message: 'The payments service is unavailable.', extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
  return body;
}

describe('a subgraph down', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await stack.subgraphs.get('payments')!.close();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers the other subgraphs\' fields and UPSTREAM_UNAVAILABLE for its own', async () => {
    const body = await expectPaymentsNulled(stack);
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
  });
});

describe('a subgraph that accepts connections and never answers', () => {
  let stack: TestStack;
  const hung = net.createServer((socket) => sockets.add(socket));
  const sockets = new Set<net.Socket>();
  beforeAll(async () => {
    stack = await startTestStack({ env: { GATEWAY_SUBGRAPH_TIMEOUT_MS: '500' } });
    const payments = stack.subgraphs.get('payments')!;
    const { hostname, port } = new URL(payments.url);
    await payments.close();
    // Its port now holds a server that reads requests and writes nothing back.
    hung.listen(Number(port), hostname);
    await once(hung, 'listening');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    hung.close();
    await stack.close();
  });

  it('is given up on after GATEWAY_SUBGRAPH_TIMEOUT_MS: the other fields answer, its own are UPSTREAM_UNAVAILABLE', async () => {
    const body = await expectPaymentsNulled(stack);
    expect(sockets.size).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toMatch(/timeout|aborted|127\.0\.0\.1|stack/i);
  });
});
