/**
 * The audit store against both backends: embedded PGlite and a real PostgreSQL server. The
 * PostgreSQL half fails (does not skip) when no server answers at DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSettings } from '../config/settings.ts';
import type { AuditEvent } from '../kit/audit-event.ts';
import { openAuditStore, type AuditStore } from '../subgraphs/audit/store/index.ts';
import { GENESIS_HASH } from '../subgraphs/audit/store/event-hash.ts';
import { rawQuery } from '../subgraphs/audit/store/testing.ts';
import { auditEvent } from './support/audit-events.ts';
import { removeDir } from './support/temp-dir.ts';

const POSTGRES_URL = process.env.AUDIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Opened {
  store: AuditStore;
  schema: string;
}

/** Opens a store with nothing in it: a fresh PGlite directory or a fresh PostgreSQL schema. */
type OpenFresh = () => Promise<Opened>;

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const openPglite: OpenFresh = async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'audit-store-'));
  const schema = 'audit';
  const store = await openAuditStore(loadSettings({ NODE_ENV: 'test', DATA_DIR: dataDir }), { schema });
  cleanups.push(async () => {
    await store.close();
    await removeDir(dataDir);
  });
  return { store, schema };
};

const openPostgres: OpenFresh = async () => {
  const schema = `audit_test_${randomBytes(6).toString('hex')}`;
  const store = await openAuditStore(loadSettings({ NODE_ENV: 'test', DATA_DIR: tmpdir(), DATABASE_URL: POSTGRES_URL }), { schema });
  cleanups.push(async () => {
    await rawQuery(store, `DROP SCHEMA "${schema}" CASCADE`);
    await store.close();
  });
  return { store, schema };
};

const hour = (n: number) => new Date(Date.UTC(2025, 2, 1, n)).toISOString();

describe.each([
  ['PGlite', openPglite],
  ['PostgreSQL', openPostgres],
] as const)('audit store on %s', (backend, openFresh) => {
  let store: AuditStore;
  let schema: string;

  beforeAll(async () => {
    ({ store, schema } = await openFresh());
  });

  test('uses the expected backend', () => {
    expect(store.backend).toBe(backend === 'PGlite' ? 'pglite' : 'postgres');
  });

  test('append is idempotent by id, also within one batch', async () => {
    const { store } = await openFresh();
    const [a, b, c, d] = [auditEvent(), auditEvent(), auditEvent(), auditEvent()] as [AuditEvent, AuditEvent, AuditEvent, AuditEvent];
    expect(await store.append([a, b, a, c])).toBe(3);
    expect(await store.append([a, b, c])).toBe(0);
    expect(await store.append([c, d])).toBe(1);
    expect(await store.append([])).toBe(0);
    expect((await store.list({ first: 50 })).totalCount).toBe(4);
    expect(await store.verifyChain()).toEqual({ valid: true, length: 4, brokenAt: null });
  });

  test('a stored event reads back exactly as appended', async () => {
    const { store } = await openFresh();
    const event = auditEvent({ details: { z: 1, a: { list: [1.5, 'x', null, true] }, unicode: 'ä✓' }, entityId: null, entityType: null });
    await store.append([event]);
    expect((await store.list({ first: 1 })).events).toEqual([{ ...event, prevHash: GENESIS_HASH, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });

  test('stores hostile strings (NUL, escaped NUL, lone surrogates) without holding up the batch', async () => {
    const { store } = await openFresh();
    const hostile = auditEvent({ actor: 'a\u0000b', details: { userAgent: 'x\\u0000y', lone: '\ud800', ['k\u0000']: 'v' } });
    const after = auditEvent();
    expect(await store.append([hostile, after])).toBe(2);
    const stored = (await store.list({ first: 2 })).events;
    expect(stored.map((event) => event.id)).toEqual([after.id, hostile.id]);
    expect(stored[1]!.actor).toBe('a\uFFFDb');
    expect(stored[1]!.details).toEqual({ userAgent: 'x\\u0000y', lone: '\uFFFD', 'k\uFFFD': 'v' });
    expect(await store.verifyChain()).toMatchObject({ valid: true });
  });

  test('rejects a malformed event and stores nothing of its batch', async () => {
    const { store } = await openFresh();
    await expect(store.append([auditEvent(), auditEvent({ id: 'not-a-uuid' })])).rejects.toThrow(TypeError);
    expect((await store.list({ first: 1 })).totalCount).toBe(0);
  });

  test('the hash chain verifies across many pages', async () => {
    const { store } = await openFresh();
    const events = Array.from({ length: 2100 }, (_, i) => auditEvent({ details: { i } }));
    for (let i = 0; i < events.length; i += 700) await store.append(events.slice(i, i + 700));
    expect(await store.verifyChain()).toEqual({ valid: true, length: 2100, brokenAt: null });
  });

  test('concurrent appends keep one linear chain', async () => {
    const { store, schema } = await openFresh();
    // On PostgreSQL a second store is a second pool: appends race across connections.
    const other = backend === 'PostgreSQL' ? await openAuditStore(loadSettings({ NODE_ENV: 'test', DATA_DIR: tmpdir(), DATABASE_URL: POSTGRES_URL }), { schema }) : store;
    try {
      const batches = Array.from({ length: 20 }, (_, i) => Array.from({ length: 25 }, () => auditEvent({ details: { batch: i } })));
      const shared = batches[0] ?? [];
      const inserted = await Promise.all([...batches.map((batch, i) => (i % 2 ? other : store).append(batch)), other.append(shared), store.append(shared)]);
      expect(inserted.reduce((sum, n) => sum + n, 0)).toBe(500);
      expect(await store.verifyChain()).toEqual({ valid: true, length: 500, brokenAt: null });
    } finally {
      if (other !== store) await other.close();
    }
  });

  test('the store refuses UPDATE and DELETE by itself (append-only trigger)', async () => {
    const { store, schema } = await openFresh();
    const event = auditEvent();
    await store.append([event]);
    await expect(rawQuery(store, `UPDATE "${schema}".audit_events SET actor = 'mallory'`)).rejects.toThrow(/append-only/);
    await expect(rawQuery(store, `DELETE FROM "${schema}".audit_events`)).rejects.toThrow(/append-only/);
    await expect(rawQuery(store, `TRUNCATE "${schema}".audit_events`)).rejects.toThrow(/append-only/);
  });

  test('verifyChain reports a row changed directly in SQL', async () => {
    const { store, schema } = await openFresh();
    const events = Array.from({ length: 10 }, (_, i) => auditEvent({ details: { i, amount: 100 } }));
    await store.append(events);
    const victim = events[6]!;
    await rawQuery(store, `ALTER TABLE "${schema}".audit_events DISABLE TRIGGER USER`);
    await rawQuery(store, `UPDATE "${schema}".audit_events SET details = '{"i": 6, "amount": 1}' WHERE id = $1`, [victim.id]);
    expect(await store.verifyChain()).toEqual({ valid: false, length: 7, brokenAt: victim.id });
  });

  test('verifyChain reports a row whose hash was recomputed to hide a change', async () => {
    const { store, schema } = await openFresh();
    const events = Array.from({ length: 5 }, () => auditEvent());
    await store.append(events);
    await rawQuery(store, `ALTER TABLE "${schema}".audit_events DISABLE TRIGGER USER`);
    await rawQuery(store, `UPDATE "${schema}".audit_events SET actor = 'mallory', hash = md5('x') || md5('y') WHERE id = $1`, [events[1]!.id]);
    // The forged row fails its own hash first.
    expect((await store.verifyChain()).brokenAt).toBe(events[1]!.id);
  });

  test('verifyChain reports the successor of a deleted row', async () => {
    const { store, schema } = await openFresh();
    const events = Array.from({ length: 8 }, () => auditEvent());
    await store.append(events);
    await rawQuery(store, `ALTER TABLE "${schema}".audit_events DISABLE TRIGGER USER`);
    await rawQuery(store, `DELETE FROM "${schema}".audit_events WHERE id = $1`, [events[3]!.id]);
    expect(await store.verifyChain()).toEqual({ valid: false, length: 4, brokenAt: events[4]!.id });
  });

  describe('list', () => {
    let seeded: AuditEvent[];

    beforeAll(async () => {
      seeded = Array.from({ length: 12 }, (_, i) =>
        auditEvent({
          at: hour(i),
          type: i % 3 === 0 ? 'SENSITIVE_READ' : 'MUTATION',
          actor: i % 2 === 0 ? 'alice' : 'bob',
          entityType: i < 6 ? 'Plant' : 'Customer',
          entityId: `e-${i % 4}`,
          details: { i },
        }),
      );
      await store.append(seeded);
    });

    const ids = (events: readonly AuditEvent[]) => events.map((event) => event.id);
    const newestFirst = (events: readonly AuditEvent[]) => ids([...events].reverse());

    test('pages newest first with opaque cursors', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page = await store.list({ first: 5, after });
        expect(page.totalCount).toBe(12);
        seen.push(...ids(page.events));
        pages += 1;
        if (!page.hasNextPage) break;
        after = page.endCursor;
        expect(after).not.toMatch(/^\d+$/);
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(newestFirst(seeded));
    });

    test('filters by type, actor, entity and time range', async () => {
      const check = async (filter: Parameters<AuditStore['list']>[0]['filter'], expected: AuditEvent[]) => {
        const page = await store.list({ filter, first: 50 });
        expect(ids(page.events)).toEqual(newestFirst(expected));
        expect(page.totalCount).toBe(expected.length);
      };
      await check({ type: 'SENSITIVE_READ' }, seeded.filter((e) => e.type === 'SENSITIVE_READ'));
      await check({ actor: 'bob' }, seeded.filter((e) => e.actor === 'bob'));
      await check({ entityType: 'Plant', entityId: 'e-1' }, seeded.filter((e) => e.entityType === 'Plant' && e.entityId === 'e-1'));
      await check({ from: hour(3), to: hour(7) }, seeded.slice(3, 7));
      await check({ from: new Date(hour(10)), actor: 'alice', type: 'MUTATION' }, seeded.filter((e, i) => i >= 10 && e.actor === 'alice' && e.type === 'MUTATION'));
    });

    test('a filtered page keeps the filtered total and paginates within it', async () => {
      const first = await store.list({ filter: { actor: 'alice' }, first: 4 });
      const second = await store.list({ filter: { actor: 'alice' }, first: 4, after: first.endCursor });
      expect(first.totalCount).toBe(6);
      expect(first.hasNextPage).toBe(true);
      expect(second.hasNextPage).toBe(false);
      expect([...ids(first.events), ...ids(second.events)]).toEqual(newestFirst(seeded.filter((e) => e.actor === 'alice')));
    });

    test('rejects page sizes outside 1..50 and foreign cursors', async () => {
      await expect(store.list({ first: 0 })).rejects.toThrow(RangeError);
      await expect(store.list({ first: 51 })).rejects.toThrow(RangeError);
      await expect(store.list({ first: 5, after: 'bm9wZQ' })).rejects.toThrow(/cursor/);
    });
  });

  test('trails of 50 entities cost one query, newest first, limited per entity', async () => {
    const { store } = await openFresh();
    const entityIds = Array.from({ length: 50 }, (_, i) => `plant-${i}`);
    const events = entityIds.flatMap((entityId, i) =>
      Array.from({ length: (i % 4) + 1 }, (_, n) => auditEvent({ entityType: 'Plant', entityId, at: hour(n), details: { n } })),
    );
    await store.append([...events, auditEvent({ entityType: 'Customer', entityId: 'plant-0' })]);

    const before = store.queryCount();
    const trails = await store.trails('Plant', [...entityIds, 'plant-unknown'], 3);
    expect(store.queryCount() - before).toBe(1);

    expect(trails.size).toBe(51);
    expect(trails.get('plant-unknown')).toMatchObject({ events: [], totalCount: 0, hasNextPage: false, endCursor: null });
    for (const [i, entityId] of entityIds.entries()) {
      const own = events.filter((event) => event.entityId === entityId);
      const trail = trails.get(entityId)!;
      expect(trail.events).toEqual(own.reverse().slice(0, 3).map((event) => expect.objectContaining(event)));
      expect(trail.events.length).toBe(Math.min((i % 4) + 1, 3));
      expect(trail.totalCount).toBe((i % 4) + 1);
      expect(trail.hasNextPage).toBe((i % 4) + 1 > 3);
      expect(trail.cursors).toHaveLength(trail.events.length);
    }
    // A trail's cursor continues with list(): the next page of that entity.
    const long = trails.get('plant-3')!;
    const next = await store.list({ filter: { entityType: 'Plant', entityId: 'plant-3' }, first: 3, after: long.endCursor });
    expect(next.events).toEqual([expect.objectContaining(events.filter((event) => event.entityId === 'plant-3')[0])]);
  });

  test('reports count events of their kind by type, service, actor and day', async () => {
    const { store } = await openFresh();
    const day1 = '2025-04-01T10:00:00.000Z';
    const day2 = '2025-04-02T23:59:59.000Z';
    await store.append([
      auditEvent({ type: 'SENSITIVE_READ', service: 'banking', actor: 'alice', at: day1 }),
      auditEvent({ type: 'SENSITIVE_READ', service: 'banking', actor: 'alice', at: day2 }),
      auditEvent({ type: 'FORBIDDEN', service: 'payments', actor: 'bob', at: day2 }),
      auditEvent({ type: 'MUTATION', service: 'plants', actor: 'alice', at: day2 }),
      auditEvent({ type: 'UPSTREAM_ERROR', service: 'plants', actor: 'anonymous', at: day1 }),
      auditEvent({ type: 'UPSTREAM_DOWN', service: 'plants', actor: 'anonymous', at: day1 }),
      auditEvent({ type: 'AUTH_FAILURE', service: 'gateway', actor: 'anonymous', at: day1 }),
      auditEvent({ type: 'SENSITIVE_READ', service: 'banking', actor: 'carol', at: '2025-04-03T00:00:00.000Z' }),
    ]);

    const access = await store.report('ACCESS', '2025-04-01T00:00:00Z', '2025-04-03T00:00:00Z');
    expect(access).toEqual({
      kind: 'ACCESS',
      from: '2025-04-01T00:00:00.000Z',
      to: '2025-04-03T00:00:00.000Z',
      total: 4,
      byType: [{ key: 'SENSITIVE_READ', count: 2 }, { key: 'FORBIDDEN', count: 1 }, { key: 'MUTATION', count: 1 }],
      byService: [{ key: 'banking', count: 2 }, { key: 'payments', count: 1 }, { key: 'plants', count: 1 }],
      byActor: [{ key: 'alice', count: 3 }, { key: 'bob', count: 1 }],
      byDay: [{ key: '2025-04-01', count: 1 }, { key: '2025-04-02', count: 3 }],
    });

    const errors = await store.report('ERRORS', new Date('2025-04-01T00:00:00Z'), new Date('2025-05-01T00:00:00Z'));
    expect(errors.total).toBe(2);
    expect(errors.byType).toEqual([{ key: 'UPSTREAM_DOWN', count: 1 }, { key: 'UPSTREAM_ERROR', count: 1 }]);

    const auth = await store.report('AUTH_FAILURES', '2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z');
    expect(auth).toMatchObject({ total: 1, byService: [{ key: 'gateway', count: 1 }], byDay: [{ key: '2025-04-01', count: 1 }] });

    const empty = await store.report('AUTH_FAILURES', '2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z');
    expect(empty).toMatchObject({ total: 0, byType: [], byService: [], byActor: [], byDay: [] });
  });

  test('records each migration once', async () => {
    const rows = await rawQuery<{ version: number }>(store, `SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
    expect(rows.map((row) => Number(row.version))).toEqual([1, 2]);
  });
});

test('a re-opened PGlite store keeps its events and chain and migrates nothing again', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'audit-store-'));
  const settings = loadSettings({ NODE_ENV: 'test', DATA_DIR: dataDir });
  try {
    const events = [auditEvent(), auditEvent()];
    const first = await openAuditStore(settings);
    await first.append(events);
    await first.close();
    const second = await openAuditStore(settings);
    try {
      expect(await second.append([...events, auditEvent()])).toBe(1);
      expect(await second.verifyChain()).toEqual({ valid: true, length: 3, brokenAt: null });
      const rows = await rawQuery<{ version: number }>(second, 'SELECT version FROM audit.schema_migrations ORDER BY version');
      expect(rows.map((row) => Number(row.version))).toEqual([1, 2]);
    } finally {
      await second.close();
    }
  } finally {
    await removeDir(dataDir);
  }
});
