/**
 * The response cache's parts in process: how long a subgraph lets its answer be kept, the key, the tags found in an answer, the memory
 * store's bound and drops, the Redis store (and Redis away: a miss, never an error), and
 * the record of changes that keeps an entry read before a change from being served.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { entityTags, tagsOfChange } from '../gateway/response-cache/entity-tags.ts';
import { Invalidations } from '../gateway/response-cache/invalidations.ts';
import { responseCacheKey } from '../gateway/response-cache/key.ts';
import { memoryStore } from '../gateway/response-cache/memory-store.ts';
import { redisStore } from '../gateway/response-cache/redis-store.ts';
import type { CachedAnswer } from '../gateway/response-cache/store.ts';
import { closeSharedRedis } from '../kit/redis.ts';
import { scopesFor } from '../kit/roles.ts';
import { ServiceMetrics } from '../kit/service-metrics.ts';
import { keepForMs } from '../subgraphs/kit/response-report.ts';
import { REDIS_URL } from './support/services.ts';

const schema = buildSchema(`
  type Query { plant(id: ID!): Plant plants: [Plant!]! node(id: ID!): Node balance: Balance }
  interface Node { id: ID! }
  type Plant implements Node { id: ID! name: String operator: Operator }
  type Operator { name: String }
  type Charge implements Node { id: ID! }
  type Balance { amount: Int }
`);

function tagsOf(source: string, data: unknown): string[] {
  const document = parse(source);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = new Map(
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
  return [...entityTags(schema, operation, fragments, data)].sort();
}

function answer(overrides: Partial<CachedAnswer> = {}): CachedAnswer {
  const now = Date.now();
  return { data: { plant: { id: 'p1' } }, storedAt: now, expiresAt: now + 60_000, tags: ['Plant:p1'], audited: [], ...overrides };
}

describe("a subgraph's report of how long its answer may be kept", () => {
  const upstream = (cacheTtlMs: number, up = true) => ({ policy: { cacheTtlMs }, health: { state: { up, since: new Date() } } });

  it('is the shortest fresh lifetime of its upstreams', () => {
    expect(keepForMs([upstream(600_000), upstream(30_000)])).toBe(30_000);
  });

  it('is 0 (not kept) without an upstream, with one that caches nothing, or while one is down', () => {
    expect(keepForMs([])).toBe(0);
    expect(keepForMs([upstream(600_000), upstream(0)])).toBe(0);
    expect(keepForMs([upstream(600_000), upstream(60_000, false)])).toBe(0);
  });
});

describe('the response cache key', () => {
  type Seen = Parameters<typeof responseCacheKey>[0]['caller'];
  const viewer: Seen = { roles: ['VIEWER'], scopes: scopesFor(['VIEWER']) };
  const key = (source: string, variables: Record<string, unknown>, caller: Seen = viewer) => responseCacheKey({ document: parse(source), operationName: null, variables, caller });

  it('is the same for the same operation printed differently and variables in another order', () => {
    expect(key('query { plant(id: $id) { id } }', { a: 1, b: 2 })).toBe(key('query {\n  plant(id: $id) { id } # a comment\n}', { b: 2, a: 1 }));
  });

  it('differs by variables and by what the caller may see, never by who it is', () => {
    const admin: Seen = { roles: ['ADMIN'], scopes: scopesFor(['ADMIN']) };
    expect(key('{ plant(id: $id) { id } }', { id: 'a' })).not.toBe(key('{ plant(id: $id) { id } }', { id: 'b' }));
    expect(key('{ plant(id: $id) { id } }', {}, admin)).not.toBe(key('{ plant(id: $id) { id } }', {}));
    // The caller's subject is not even part of what the key is made from.
    expect(key('{ plant(id: $id) { id } }', {}, { ...viewer, subject: 'someone-else' } as Seen)).toBe(key('{ plant(id: $id) { id } }', {}));
  });
});

describe('the tags of an answer', () => {
  it('names an entity by type and id, through aliases and fragments', () => {
    const tags = tagsOf(`{ p: plant(id: "x") { ...F } } fragment F on Plant { id operator { name } }`, { p: { id: 'p1', operator: { name: 'n' } } });
    expect(tags).toEqual(['Operator', 'Operator:*', 'Plant', 'Plant:p1']);
  });

  it('marks lists, and entities without their id, as changed by any change of their type', () => {
    expect(tagsOf(`{ plants { id } }`, { plants: [{ id: 'p1' }, { id: 'p2' }] })).toEqual(['Plant', 'Plant:*', 'Plant:p1', 'Plant:p2']);
    expect(tagsOf(`{ plant(id: "x") { name } }`, { plant: { name: 'n' } })).toEqual(['Plant', 'Plant:*']);
    expect(tagsOf(`{ balance { amount } }`, { balance: { amount: 1 } })).toEqual(['Balance', 'Balance:*']);
  });

  it('finds the concrete type of an abstract one from __typename, or tags every possible type', () => {
    expect(tagsOf(`{ node(id: "x") { __typename id } }`, { node: { __typename: 'Charge', id: 'c1' } })).toEqual(['Charge', 'Charge:c1']);
    expect(tagsOf(`{ node(id: "x") { id } }`, { node: { id: 'c1' } })).toEqual(['Charge', 'Charge:c1', 'Plant', 'Plant:c1']);
  });

  it('drops by id and lists for a change of one entity, by type for a change without id', () => {
    expect(tagsOfChange({ type: 'Plant', id: 'p1' })).toEqual(['Plant:p1', 'Plant:*']);
    expect(tagsOfChange({ type: 'Balance' })).toEqual(['Balance']);
  });
});

describe('the memory store', () => {
  it('forgets the least recently used past its bound', async () => {
    const size = JSON.stringify(answer()).length;
    const store = memoryStore({ maxBytes: size * 2 });
    await store.set('a', answer());
    await store.set('b', answer());
    await store.get('a'); // used: b is now the oldest
    await store.set('c', answer());
    expect(await store.get('a')).toBeDefined();
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('c')).toBeDefined();
    expect(store.bytes).toBeLessThanOrEqual(size * 2);
  });

  it('drops by tag and serves nothing past its lifetime', async () => {
    const store = memoryStore({ maxBytes: 1_000_000 });
    await store.set('a', answer({ tags: ['Plant:p1'] }));
    await store.set('b', answer({ tags: ['Plant:p2'] }));
    await store.set('old', answer({ expiresAt: Date.now() - 1 }));
    await store.drop(['Plant:p1']);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBeDefined();
    expect(await store.get('old')).toBeUndefined();
  });
});

describe('the Redis store', () => {
  afterAll(async () => {
    await closeSharedRedis();
  });

  it('keeps, serves and drops by tag, under its key prefix', async () => {
    const store = redisStore({ url: REDIS_URL, keyPrefix: `parts-${randomUUID()}:`, metrics: new ServiceMetrics('gateway') });
    const entry = answer({ tags: ['Plant:p1', 'service:plants'] });
    await store.set('a', entry);
    await store.set('b', answer({ tags: ['Plant:p2'] }));
    expect(await store.get('a')).toEqual(entry);
    await store.drop(['Plant:p1']);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBeDefined();
  });

  it('is a miss, never an error, while Redis is unreachable', async () => {
    const metrics = new ServiceMetrics('gateway');
    const store = redisStore({ url: 'redis://127.0.0.1:1', keyPrefix: 'away:', metrics });
    const started = Date.now();
    await expect(store.set('a', answer())).resolves.toBeUndefined();
    await expect(store.get('a')).resolves.toBeUndefined();
    await expect(store.drop(['Plant:p1'])).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await metrics.registry.metrics()).toMatch(/cache_errors_total\{cache="response-cache"\} [1-9]/);
  });
});

describe('the record of changes', () => {
  it('keeps an entry read before a change from being served, even where the store did not drop it', async () => {
    const kept = memoryStore({ maxBytes: 1_000_000 });
    const store = { ...kept, drop: async () => undefined }; // a store that missed the drop (Redis away)
    const invalidations = new Invalidations(store, new ServiceMetrics('gateway'));
    const before = answer({ storedAt: Date.now() - 10, tags: ['Plant:p1'] });
    invalidations.noteLifetime(before);
    invalidations.drop(['Plant:p1'], 'entity');
    expect(invalidations.outdated(before)).toBe(true);
    expect(invalidations.outdated(answer({ storedAt: Date.now() + 1, tags: ['Plant:p1'] }))).toBe(false);
    expect(invalidations.outdated(answer({ storedAt: Date.now() - 10, tags: ['Plant:p2'] }))).toBe(false);
  });
});
