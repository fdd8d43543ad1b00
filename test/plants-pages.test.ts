/**
 * A page of plants never comes back short without saying so. In process, over a Plant API
 * fake whose list and batch answers can disagree, as they do when a plant goes away between
 * the two calls or the batch call fails.
 */
import { describe, expect, it } from '@jest/globals';
import { loadSettings } from '../config/settings.ts';
import { createCache } from '../subgraphs/kit/cache.ts';
import { Upstream } from '../subgraphs/kit/upstream.ts';
import { UpstreamError } from '../subgraphs/kit/upstream-error.ts';
import { PLANT_API, type Plant, type PlantApi } from '../subgraphs/plants/connector.ts';
import { plantsSubgraph } from '../subgraphs/plants/index.ts';
import { PlantData } from '../subgraphs/plants/loaders.ts';
import { plantResolvers } from '../subgraphs/plants/resolvers.ts';
import type { AuditEventInput } from '../kit/audit-event.ts';
import { inProcess } from './support/in-process.ts';
import { readSubgraphSettings } from '../config/subgraph-settings.ts';
import { plantsSettings } from '../subgraphs/plants/settings.ts';

const PAGE = `{ plants(first: 3) { totalCount edges { cursor node { id } } pageInfo { hasNextPage } } }`;

const plant = (id: string): Plant => ({ id, name: id, site: 'Site', status: 'ONLINE', capacityMw: 1, updatedAt: '2026-01-01T00:00:00.000Z', operator: null });

/** A Plant API whose list and batch endpoint each answer from their own set of plants. */
function fakePlantApi(listed: string[], known: Set<string>, failing = new Set<string>()) {
  const calls = { lists: 0, batches: 0 };
  const api: PlantApi = {
    async listPlants() {
      calls.lists += 1;
      return { items: listed.map(plant), total: listed.length };
    },
    async plantsByIds(ids) {
      calls.batches += 1;
      if (ids.some((id) => failing.has(id))) throw new UpstreamError(PLANT_API, 'server_error', 'batch failed', { status: 500 });
      return ids.filter((id) => known.has(id)).map(plant);
    },
    async readings() {
      return { items: [], total: 0 };
    },
    async health() {},
  };
  return { api, calls };
}

function plantsOver(api: PlantApi) {
  const settings = loadSettings({ PLANT_API_RETRY_INITIAL_DELAY_MS: '1', PLANT_API_RETRY_MAX_DELAY_MS: '2' });
  const shared = { redisUrl: undefined, keyPrefix: `test-${Math.random()}:` };
  const cache = createCache(shared, 'plants');
  const upstream = new Upstream({ api: PLANT_API, credentialScope: 'test', policy: readSubgraphSettings(plantsSettings, settings).values.policy, cache, shared });
  const data = new PlantData(api, upstream, cache);
  const subgraph = inProcess(plantsSubgraph, { resolvers: plantResolvers(() => upstream.health.state), createLoaders: () => data.createLoaders(), close: async () => {} });
  return { subgraph, upstream };
}

type PageResult = { plants: { totalCount: number; edges: { cursor: string; node: { id: string } | null }[] } };

describe('a page of plants', () => {
  it('is fetched again when a listed plant has gone, and then is whole', async () => {
    const listed = ['p1', 'p2', 'p3', 'p4'];
    const known = new Set(listed);
    const { api, calls } = fakePlantApi(listed, known);
    const { subgraph, upstream } = plantsOver(api);
    expect((await subgraph.run('VIEWER', PAGE)).errors).toBeUndefined();

    // p2 goes away upstream, and its cached entry with it; the cached list still names it.
    listed.splice(1, 1);
    known.delete('p2');
    await upstream.invalidate('plant:p2');
    const { data, errors } = await subgraph.run('VIEWER', PAGE);
    expect(errors).toBeUndefined();
    const page = (data as PageResult).plants;
    expect(page.edges.map((edge) => edge.node?.id)).toEqual(['p1', 'p3', 'p4']);
    expect(page.totalCount).toBe(3);
    expect(calls.lists).toBe(2);
    // The cursors count in the list as it is now.
    expect(page.edges.map((edge) => Buffer.from(edge.cursor, 'base64url').toString())).toEqual(['plants:0', 'plants:1', 'plants:2']);
  });

  it('keeps the edge of a plant the Plant API lists but does not know, with an error on its node', async () => {
    const { api } = fakePlantApi(['p1', 'p2', 'p3'], new Set(['p1', 'p3']));
    const { subgraph, upstream } = plantsOver(api);
    await subgraph.run('VIEWER', PAGE);
    await upstream.invalidate('plant:p2');
    const { data, errors } = await subgraph.run('VIEWER', PAGE);
    const page = (data as PageResult).plants;
    expect(page.edges.map((edge) => edge.node?.id ?? null)).toEqual(['p1', null, 'p3']);
    expect(page.totalCount).toBe(3);
    expect(errors?.map((error) => [error.path?.join('.'), error.extensions.code])).toEqual([['plants.edges.1.node', 'UPSTREAM_ERROR']]);
  });

  it('keeps the edge of a plant whose fetch failed, with the upstream error on its node', async () => {
    const failing = new Set<string>();
    const { api } = fakePlantApi(['p1', 'p2', 'p3'], new Set(['p1', 'p2', 'p3']), failing);
    const { subgraph, upstream } = plantsOver(api);
    await subgraph.run('VIEWER', PAGE);
    failing.add('p2');
    await upstream.invalidate('plant:p2');
    const { data, errors } = await subgraph.run('VIEWER', PAGE);
    const page = (data as PageResult).plants;
    expect(page.edges.map((edge) => edge.node?.id ?? null)).toEqual(['p1', null, 'p3']);
    expect(errors?.map((error) => [error.path?.join('.'), error.extensions.code])).toEqual([['plants.edges.1.node', 'UPSTREAM_ERROR']]);
  });
});

describe('an ADMIN reading operator contacts', () => {
  it('is audited once per plant, with every field read, and never with the values', async () => {
    const listed = Array.from({ length: 50 }, (_, i) => `p${i + 1}`);
    const { api } = fakePlantApi(listed, new Set(listed));
    const withContacts: PlantApi = {
      ...api,
      async listPlants(query, signal) {
        const page = await api.listPlants(query, signal);
        return { ...page, items: page.items.map((item) => ({ ...item, operator: { name: 'Jane Doe', email: 'jane.doe@example.com', phone: '+1 555 010 1234', plantId: item.id } })) };
      },
    };
    const { subgraph } = plantsOver(withContacts);
    const audited: AuditEventInput[] = [];
    const { errors } = await subgraph.run('ADMIN', `{ plants(first: 50) { edges { node { operator { email phone } } } } }`, { audited });
    expect(errors).toBeUndefined();
    const reads = audited.filter((event) => event.type === 'SENSITIVE_READ');
    expect(reads).toHaveLength(50);
    expect(new Set(reads.map((event) => event.entityId)).size).toBe(50);
    expect(reads[0]).toMatchObject({ entityType: 'Plant', action: 'read Operator.email, Operator.phone', details: { fields: ['Operator.email', 'Operator.phone'] } });
    expect(JSON.stringify(reads)).not.toMatch(/jane|555/i);
  });
});

describe('an upstream with neither a fresh nor a stale lifetime', () => {
  it('keeps nothing, so an outage is an error rather than an old answer passed off as current', async () => {
    const settings = loadSettings({ PLANT_API_CACHE_TTL_MS: '0', PLANT_API_STALE_TTL_MS: '0', PLANT_API_RETRY_ATTEMPTS: '1' });
    const shared = { redisUrl: undefined, keyPrefix: `test-${Math.random()}:` };
    const upstream = new Upstream({ api: PLANT_API, credentialScope: 'test', policy: readSubgraphSettings(plantsSettings, settings).values.policy, cache: createCache(shared, 'plants'), shared });
    let down = false;
    const fetch = async () => {
      if (down) throw new UpstreamError(PLANT_API, 'unavailable', 'down');
      return 'answer';
    };
    expect(await upstream.read('key', fetch)).toBe('answer');
    down = true;
    await expect(upstream.read('key', fetch)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
  });
});
