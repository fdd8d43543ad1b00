/** Partial data: a subgraph that is down nulls its own fields, never the whole response. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './support/stack.ts';

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
    const { status, body } = await stack.query<{ plant: { name: string } | null; charge: unknown }>(
      `{ plant(id: "plant-001") { name } charge(id: "ch_anything") { id } }`,
      { token: await stack.token('VIEWER') },
    );
    expect(status).toBe(200);
    expect(body.data?.plant?.name).toBeTruthy();
    expect(body.data?.charge).toBeNull();
    expect(body.errors?.[0]).toMatchObject({ message: 'The payments service is unavailable.', extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
  });
});
