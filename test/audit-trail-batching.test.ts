/** The audit subgraph's trail loader: the trails of 50 entities in one request are one store query. */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAuditLoaders } from '../subgraphs/audit/loaders.ts';
import { openAuditStore, type AuditStore } from '../subgraphs/audit/store/index.ts';
import { auditEvent } from './support/audit-events.ts';
import { removeDir } from './support/temp-dir.ts';

describe('audit trail batching', () => {
  let dataDir: string;
  let store: AuditStore;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'fil-trails-'));
    store = await openAuditStore({ dataDir, databaseUrl: undefined });
    await store.append(Array.from({ length: 100 }, (_, i) => auditEvent({ entityType: 'Plant', entityId: `plant-${String((i % 50) + 1).padStart(3, '0')}` })));
  });
  afterAll(async () => {
    await store.close();
    await removeDir(dataDir);
  });

  it('loads 50 plants\' trails with one query, and a second entity type with one more', async () => {
    const loaders = createAuditLoaders(store);
    const before = store.queryCount();
    const ids = Array.from({ length: 50 }, (_, i) => `plant-${String(i + 1).padStart(3, '0')}`);
    const [plants, accounts] = await Promise.all([
      Promise.all(ids.map((entityId) => loaders.trail.load({ entityType: 'Plant', entityId, first: 5 }))),
      Promise.all(['acc-001', 'acc-002'].map((entityId) => loaders.trail.load({ entityType: 'Account', entityId, first: 5 }))),
    ]);
    expect(store.queryCount() - before).toBe(2);
    expect(plants.every((page) => page.totalCount === 2 && page.events.length === 2)).toBe(true);
    expect(accounts.every((page) => page.totalCount === 0)).toBe(true);
  });
});
