/** Relay pagination of plants and the arguments it refuses. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type GraphQLResponse, type TestStack } from './support/stack.ts';

const PAGE = `query ($first: Int, $after: String, $status: PlantStatus) {
  plants(first: $first, after: $after, status: $status) {
    totalCount
    edges { cursor node { id status } }
    pageInfo { hasNextPage endCursor }
  }
}`;
type PageAnswer = {
  plants: { totalCount: number; edges: { cursor: string; node: { id: string; status: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
};

describe('plants pagination', () => {
  let stack: TestStack;
  let token: string;
  beforeAll(async () => {
    stack = await startTestStack();
    token = await stack.token('VIEWER');
  });
  afterAll(async () => {
    await stack.close();
  });

  async function walk(first: number, status?: string): Promise<{ ids: string[]; pages: number; total: number }> {
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    let total = 0;
    for (;;) {
      const response: GraphQLResponse<PageAnswer> = await stack.query<PageAnswer>(PAGE, { token, variables: { first, after, status } });
      expect(response.body.errors).toBeUndefined();
      const connection: PageAnswer['plants'] = response.body.data!.plants;
      total = connection.totalCount;
      ids.push(...connection.edges.map((edge) => edge.node.id));
      pages += 1;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
      expect(after).toBe(connection.edges.at(-1)!.cursor);
    }
    return { ids, pages, total };
  }

  it('walks all 120 plants in pages of 50, each once, in order', async () => {
    const { ids, pages, total } = await walk(50);
    expect(total).toBe(120);
    expect(pages).toBe(3);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    expect(ids[0]).toBe('plant-001');
    expect(ids[119]).toBe('plant-120');
  });

  it('walks with a page size that does not line up with the upstream pages', async () => {
    const { ids, pages } = await walk(7);
    expect(pages).toBe(Math.ceil(120 / 7));
    expect(ids).toEqual(Array.from({ length: 120 }, (_, i) => `plant-${String(i + 1).padStart(3, '0')}`));
  });

  it('filters by status', async () => {
    const { ids, total } = await walk(50, 'OFFLINE');
    expect(total).toBeGreaterThan(0);
    expect(ids).toHaveLength(total);
    const { body } = await stack.query<PageAnswer>(PAGE, { token, variables: { first: 50, status: 'OFFLINE' } });
    expect(body.data!.plants.edges.every((edge) => edge.node.status === 'OFFLINE')).toBe(true);
  });

  it.each([51, 0, -1])('refuses first: %i with BAD_USER_INPUT, plants null and no upstream call', async (first) => {
    const before = await stack.plantApi.requests();
    const { body } = await stack.query<PageAnswer>(PAGE, { token, variables: { first } });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(/first must be between 1 and 50/);
    expect(body.data?.plants ?? null).toBeNull();
    expect(await stack.plantApi.requests()).toBe(before);
  });

  it('refuses a cursor it did not issue', async () => {
    const { body } = await stack.query<PageAnswer>(PAGE, { token, variables: { first: 5, after: 'bm90LWEtY3Vyc29y' } });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a readings range that ends before it starts', async () => {
    const { body } = await stack.query(
      `{ plant(id: "plant-001") { readings(from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z") { totalCount } } }`,
      { token },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('pages readings of a plant', async () => {
    const { body } = await stack.query<{ plant: { readings: { totalCount: number; edges: { node: { at: string } }[]; pageInfo: { hasNextPage: boolean } } } }>(
      `{ plant(id: "plant-001") { readings(first: 10) { totalCount edges { node { at outputMw temperatureC } } pageInfo { hasNextPage } } } }`,
      { token },
    );
    expect(body.errors).toBeUndefined();
    const readings = body.data!.plant.readings;
    expect(readings.edges).toHaveLength(10);
    expect(readings.totalCount).toBeGreaterThanOrEqual(10);
    expect(readings.pageInfo.hasNextPage).toBe(readings.totalCount > 10);
  });
});
