/**
 * End-to-end delivery: emitters -> (outbox | Redis Stream) -> consumer -> store, with the
 * consumer stopped and restarted mid-flow. Every event must be stored exactly once with an
 * intact chain. The Redis half fails (does not skip) when no Redis answers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { loadSettings, type Settings } from '../config/settings.ts';
import { createAuditEmitter, type AuditEmitter } from '../kit/audit-emitter.ts';
import type { AuditEventInput } from '../kit/audit-event.ts';
import { outboxDir } from '../kit/audit-outbox.ts';
import { startAuditConsumer, type RunningConsumer } from '../subgraphs/audit/delivery/index.ts';
import { openAuditStore, type AuditStore } from '../subgraphs/audit/store/index.ts';
import { until } from './support/eventually.ts';
import { freePort } from './support/private-services.ts';
import { removeDir } from './support/temp-dir.ts';

/** Shaped like a live Stripe key; built here so no key-shaped literal sits in the source. */
const PLANTED_LIVE_KEY = ['sk', 'live', 'planted42'].join('_');

const REDIS_URL = process.env.AUDIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOTAL = 500;

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function tempDataDir(): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'audit-delivery-'));
  cleanups.push(() => removeDir(dataDir));
  return dataDir;
}

async function openStore(settings: Settings): Promise<AuditStore> {
  const store = await openAuditStore(settings);
  cleanups.push(() => store.close());
  return store;
}

const storedCount = async (store: AuditStore) => (await store.list({ first: 1 })).totalCount;

const mutation = (i: number): AuditEventInput => ({
  type: 'MUTATION',
  actor: `user-${i % 7}`,
  entityType: 'Plant',
  entityId: `plant-${i % 13}`,
  action: 'updatePlant',
  outcome: 'SUCCESS',
  details: { i },
});

/**
 * Emits TOTAL events from two emitters in small bursts while the consumer is stopped and
 * started again every 100 events, then waits until exactly TOTAL are stored.
 */
async function emitThroughRestarts(settings: Settings, store: AuditStore, start: (round: number) => Promise<RunningConsumer>, emitterOptions: { streamKey?: string } = {}): Promise<void> {
  const emitters: AuditEmitter[] = [
    createAuditEmitter({ settings, service: 'plants', ...emitterOptions }),
    createAuditEmitter({ settings, service: 'payments', ...emitterOptions }),
  ];
  let consumer = await start(0);
  try {
    for (let i = 0; i < TOTAL; i += 1) {
      emitters[i % 2]!.emit(mutation(i));
      if (i % 25 === 24) await new Promise((resolve) => setTimeout(resolve, 5));
      if (i % 100 === 99 && i < TOTAL - 1) {
        await consumer.stop();
        consumer = await start(i);
      }
    }
    await Promise.all(emitters.map((emitter) => emitter.flush()));
    await until(async () => (await storedCount(store)) >= TOTAL, { timeoutMs: 45_000, describe: async () => `${TOTAL} stored events (have ${await storedCount(store)})` });
  } finally {
    await consumer.stop();
    await Promise.all(emitters.map((emitter) => emitter.close()));
  }
  expect(await storedCount(store)).toBe(TOTAL);
  expect(await store.verifyChain()).toEqual({ valid: true, length: TOTAL, brokenAt: null });
  const stored = new Set<number>();
  for (let after: string | null = null, more = true; more; ) {
    const page = await store.list({ first: 50, after });
    for (const event of page.events) stored.add(event.details.i as number);
    ({ hasNextPage: more, endCursor: after } = page);
  }
  expect(stored.size).toBe(TOTAL);
}

describe('delivery through the local outbox', () => {
  test(`${TOTAL} events arrive exactly once across consumer restarts`, async () => {
    const settings = loadSettings({ NODE_ENV: 'test', DATA_DIR: await tempDataDir() });
    const store = await openStore(settings);
    await emitThroughRestarts(settings, store, () => startAuditConsumer({ settings, store, pollIntervalMs: 20 }));

    // Sealed, fully stored files are removed by the next pass.
    const consumer = await startAuditConsumer({ settings, store, pollIntervalMs: 20 });
    try {
      await until(async () => (await readdir(outboxDir(settings.dataDir))).length === 0, { timeoutMs: 45_000, describe: () => 'an empty outbox folder' });
    } finally {
      await consumer.stop();
    }
    expect(await storedCount(store)).toBe(TOTAL);
  });

  test('details are redacted before they are stored', async () => {
    const settings = loadSettings({ NODE_ENV: 'test', DATA_DIR: await tempDataDir() });
    const store = await openStore(settings);
    const emitter = createAuditEmitter({ settings, service: 'banking' });
    const consumer = await startAuditConsumer({ settings, store, pollIntervalMs: 20 });
    try {
      emitter.emit({
        type: 'SENSITIVE_READ',
        actor: 'auditor-1',
        entityType: 'Customer',
        entityId: 'cus_1',
        action: 'customer.email',
        outcome: 'SUCCESS',
        details: {
          token: 'tok_planted_7f3a9',
          upstream: { client_secret: 'planted-client-secret', headers: { Authorization: 'Bearer planted.jwt.value' } },
          note: `Reached jane.doe@example.com at +1 (555) 867-5309 about account 123456789012 with ${PLANTED_LIVE_KEY}`,
          raw: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJl',
          email: 'jane.doe@example.com',
          phone: '555-867-5309',
        },
      });
      await emitter.flush();
      await until(async () => (await storedCount(store)) === 1, { timeoutMs: 45_000 });
    } finally {
      await consumer.stop();
      await emitter.close();
    }
    const stored = JSON.stringify((await store.list({ first: 50 })).events);
    for (const planted of ['tok_planted_7f3a9', 'planted-client-secret', 'planted.jwt.value', 'jane.doe', '867-5309', '5558675309', '123456789012', PLANTED_LIVE_KEY, 'eyJhbGciOiJIUzI1NiJ9']) {
      expect(stored).not.toContain(planted);
    }
    expect(stored).toContain('j***@example.com');
    expect(stored).toContain('***-***-5309');
    expect(stored).toContain('****-****-****-9012');
  });
});

describe('delivery through Redis Streams', () => {
  let redis: ReturnType<typeof createClient>;
  const streamKeys: string[] = [];
  const newStreamKey = () => {
    const key = `audit:test:${randomBytes(6).toString('hex')}`;
    streamKeys.push(key, `${key}:dead-letter`);
    return key;
  };

  beforeAll(async () => {
    // No reconnect loop: without Redis this fails at once instead of timing out.
    redis = createClient({ url: REDIS_URL, socket: { reconnectStrategy: false, connectTimeout: 2000 } });
    await redis.connect();
  });

  afterAll(async () => {
    if (!redis?.isOpen) return;
    if (streamKeys.length > 0) await redis.del(streamKeys);
    redis.destroy();
  });

  test(`${TOTAL} events arrive exactly once across consumer restarts and crashes`, async () => {
    const settings = loadSettings({ NODE_ENV: 'test', DATA_DIR: await tempDataDir(), REDIS_URL });
    const store = await openStore(settings);
    const streamKey = newStreamKey();
    // Alternating names: restarts under the same name re-read their own pending entries,
    // restarts under another name claim the orphans (claimIdleMs 0).
    await emitThroughRestarts(
      settings,
      store,
      (round) => startAuditConsumer({ settings, store, streamKey, consumerName: `consumer-${round % 2}`, blockMs: 200, claimIdleMs: 0, pollIntervalMs: 20, trimEveryMs: 0 }),
      { streamKey },
    );
    // The stream, not the outbox fallback, carried the events...
    const groups = await redis.xInfoGroups(streamKey);
    expect(groups.map((group) => ({ name: String(group.name), pending: Number(group.pending) }))).toEqual([{ name: 'audit-store', pending: 0 }]);
    expect(Number(groups[0]!['entries-read'])).toBeGreaterThanOrEqual(TOTAL);
    // ...and what was acknowledged was trimmed from it (the last delivered entry stays).
    expect(await redis.xLen(streamKey)).toBeLessThan(TOTAL);
  });

  test('entries read but not acknowledged before a crash are stored on restart', async () => {
    const settings = loadSettings({ NODE_ENV: 'test', DATA_DIR: await tempDataDir(), REDIS_URL });
    const store = await openStore(settings);
    const streamKey = newStreamKey();
    for (let i = 0; i < 30; i += 1) {
      const event = { id: randomUUID(), at: new Date().toISOString(), service: 'plants', actor: 'user-1', entityType: null, entityId: null, ...mutation(i) };
      await redis.xAdd(streamKey, '*', { event: JSON.stringify(event) });
    }
    // A consumer that "crashed" after reading: the entries sit in its pending list.
    await redis.xGroupCreate(streamKey, 'audit-store', '0', { MKSTREAM: true });
    const read = await redis.xReadGroup('audit-store', 'crashed', { key: streamKey, id: '>' }, { COUNT: 100 });
    expect((read as Array<{ messages: unknown[] }> | null)?.[0]?.messages).toHaveLength(30);

    const consumer = await startAuditConsumer({ settings, store, streamKey, consumerName: 'crashed', blockMs: 200 });
    try {
      await until(async () => (await storedCount(store)) === 30, { timeoutMs: 45_000, describe: () => '30 recovered events' });
    } finally {
      await consumer.stop();
    }
    expect(await redis.xPending(streamKey, 'audit-store')).toMatchObject({ pending: 0 });
    expect(await store.verifyChain()).toMatchObject({ valid: true, length: 30 });
  });

  test('emit never throws while Redis is unreachable, and the outbox keeps the events', async () => {
    const closedPort = await freePort();
    const dataDir = await tempDataDir();
    const settings = loadSettings({ NODE_ENV: 'test', DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${closedPort}` });
    const errors: unknown[] = [];
    const emitter = createAuditEmitter({ settings, service: 'plants', streamKey: newStreamKey(), onError: (error) => errors.push(error) });
    try {
      for (let i = 0; i < 40; i += 1) expect(() => emitter.emit(mutation(i))).not.toThrow();
      // Emits must not wait on the transport: this returns at once even with Redis gone.
      await emitter.flush();
    } finally {
      await emitter.close();
    }
    expect(() => emitter.emit(mutation(40))).not.toThrow();

    // The outbox consumer alone (no Redis) delivers everything that was spooled.
    const local = loadSettings({ NODE_ENV: 'test', DATA_DIR: dataDir });
    const store = await openStore(local);
    const consumer = await startAuditConsumer({ settings: local, store, pollIntervalMs: 20 });
    try {
      await until(async () => (await storedCount(store)) === 41, { timeoutMs: 45_000, describe: async () => `41 stored events (have ${await storedCount(store)})` });
    } finally {
      await consumer.stop();
    }
    expect(await store.verifyChain()).toMatchObject({ valid: true, length: 41 });
  });
});
