/**
 * The audit log loses nothing when Redis goes away, even when it comes back empty: events
 * Redis took but the consumer had not read yet, events emitted while it was away, and
 * events emitted after, are all stored exactly once. Redis is a server of the test's own,
 * killed and restarted for real.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { loadSettings, type Settings } from '../config/settings.ts';
import { startAuditConsumer, type RunningConsumer } from '../subgraphs/audit/delivery/index.ts';
import { openAuditStore, type AuditStore } from '../subgraphs/audit/store/index.ts';
import { createAuditEmitter, type AuditEmitter } from '../kit/audit-emitter.ts';
import type { AuditEventInput } from '../kit/audit-event.ts';
import { until } from './support/eventually.ts';
import { startPrivateRedis, type PrivateServer } from './support/private-services.ts';
import { removeDir } from './support/temp-dir.ts';

const mutation = (i: number): AuditEventInput => ({ type: 'MUTATION', actor: 'user-1', entityType: 'Plant', entityId: `plant-${i}`, action: 'updatePlant', outcome: 'SUCCESS', details: { i } });

describe('audit delivery through a Redis that goes away', () => {
  let redis: PrivateServer;
  let dataDir: string;
  let settings: Settings;
  let store: AuditStore;
  let emitter: AuditEmitter;
  const consumers: RunningConsumer[] = [];
  const startConsumer = async () => {
    const consumer = await startAuditConsumer({ settings, store, blockMs: 200, pollIntervalMs: 20, trimEveryMs: 0 });
    consumers.push(consumer);
    return consumer;
  };
  const stored = async () => (await store.list({ first: 1 })).totalCount;
  let next = 0;
  const emit = (count: number) => {
    for (let i = 0; i < count; i += 1) emitter.emit(mutation(next++));
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    dataDir = await mkdtemp(path.join(tmpdir(), 'fil-audit-outage-'));
    settings = loadSettings({ NODE_ENV: 'test', DATA_DIR: dataDir, REDIS_URL: redis.url, KEY_PREFIX: 'outage:' });
    store = await openAuditStore(settings);
    emitter = createAuditEmitter({ settings, service: 'plants', confirmEveryMs: 50 });
  });
  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await emitter?.close();
    await store?.close();
    await redis?.close();
    await removeDir(dataDir);
  });

  test('the consumer makes its group again when Redis comes back empty, and stores what came since', async () => {
    const consumer = await startConsumer();
    emit(10);
    await until(async () => (await stored()) === 10, { timeoutMs: 30_000, describe: () => '10 events before the restart' });
    await redis.stop();
    await redis.start();
    // Written to the new, empty Redis: the stream exists again, its group does not (NOGROUP).
    await until(() => emitter.connected(), { timeoutMs: 10_000, describe: () => 'the emitter reconnected' });
    emit(10);
    await until(async () => (await stored()) === 20, { timeoutMs: 30_000, describe: async () => `20 stored (have ${await stored()})` });
    await consumer.stop();
  });

  test('events taken by Redis but not yet consumed when it dies empty, and those emitted while away, are all stored once', async () => {
    const before = await stored();
    // Nobody consumes: what Redis takes waits in the stream, and only there.
    emit(20);
    await emitter.flush();
    await redis.stop(); // SIGKILL: the unconsumed entries are gone with it
    emit(20); // while away: to the outbox
    await redis.start(); // empty
    await until(() => emitter.connected(), { timeoutMs: 10_000, describe: () => 'the emitter reconnected' });
    emit(20); // after: to the new stream
    await startConsumer();
    await until(async () => (await stored()) === before + 60, { timeoutMs: 45_000, describe: async () => `${before + 60} stored (have ${await stored()})` });
    expect(await store.verifyChain()).toEqual({ valid: true, length: before + 60, brokenAt: null });
    const details = new Set<number>();
    for (let after: string | null = null, more = true; more; ) {
      const page = await store.list({ first: 50, after });
      for (const event of page.events) details.add(event.details.i as number);
      ({ hasNextPage: more, endCursor: after } = page);
    }
    expect(details.size).toBe(before + 60);
  });
});
