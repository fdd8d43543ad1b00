/**
 * An answer leaves only once what its request audited is handed over (in Redis, or on disk
 * in the outbox), so a process killed right after answering loses no audit event; and a
 * Redis that does not answer (frozen with SIGSTOP, a server of the test's own) holds the
 * answer up a bounded moment only, the events going to the outbox instead.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadSettings } from '../config/settings.ts';
import { createAuditEmitter, type AuditEmitter } from '../kit/audit-emitter.ts';
import { outboxDir } from '../kit/audit-outbox.ts';
import type { AuditEventInput } from '../kit/audit-event.ts';
import { refusalCap } from '../kit/refusals.ts';
import { HAND_OVER_WITHIN_MS, RequestAudit, type AuditSink } from '../kit/request-audit.ts';
import { until } from './support/eventually.ts';
import { startPrivateRedis, type PrivateServer } from './support/private-services.ts';
import { removeDir } from './support/temp-dir.ts';

const refusal: AuditEventInput = { type: 'AUTH_FAILURE', actor: 'anonymous', service: 'gateway', action: 'query gateway', outcome: 'DENIED', details: { reason: 'invalid' } };

/** A sink whose hand-over the test completes itself. */
function heldSink() {
  const emitted: AuditEventInput[] = [];
  let release = () => {};
  const handedOver = new Promise<void>((resolve) => {
    release = resolve;
  });
  const sink: AuditSink = { emit: (event) => void emitted.push(event), flush: () => handedOver };
  return { sink, emitted, release: () => release() };
}

/** Settles to 'waiting' when `promise` has not settled by the next macrotask. */
const stateOf = (promise: Promise<unknown>) => Promise.race([promise.then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 50))]);

describe('answers wait for their audit events to be handed over', () => {
  it('a refused request is answered after its AUTH_FAILURE is handed over', async () => {
    const { sink, emitted, release } = heldSink();
    const cap = refusalCap({ limits: { perAddress: 5, windowMs: 60_000, trustedProxies: [] }, keyPrefix: 'hand-over:', audit: sink, service: 'gateway' });
    try {
      const answered = cap.refused('203.0.113.7', refusal);
      expect(await stateOf(answered)).toBe('waiting');
      expect(emitted).toHaveLength(1);
      release();
      await expect(answered).resolves.toBe(true);
    } finally {
      cap.close();
    }
  });

  it('a request that read sensitive values ends after its SENSITIVE_READ events are handed over; one that audited nothing does not wait', async () => {
    const { sink, emitted, release } = heldSink();
    const reading = new RequestAudit(sink, 'user-admin', 'plants');
    reading.sensitiveRead({ type: 'Plant', id: 'plant-001' }, 'Plant.contactEmail');
    const ended = reading.end();
    expect(await stateOf(ended)).toBe('waiting');
    expect(emitted.map((event) => event.type)).toEqual(['SENSITIVE_READ']);
    release();
    await ended;
    expect(await stateOf(new RequestAudit(heldSink().sink, 'user-viewer', 'plants').end())).toBe('settled');
  });

  describe('through a Redis that does not answer', () => {
    let redis: PrivateServer;
    let dataDir: string;
    let emitter: AuditEmitter;
    beforeAll(async () => {
      redis = await startPrivateRedis();
      dataDir = await mkdtemp(path.join(tmpdir(), 'fil-hand-over-'));
      const settings = loadSettings({ NODE_ENV: 'test', DATA_DIR: dataDir, REDIS_URL: redis.url, KEY_PREFIX: 'hand-over:' });
      emitter = createAuditEmitter({ settings, service: 'gateway' });
      await until(() => emitter.connected(), { timeoutMs: 10_000, describe: () => 'the emitter connected to Redis' });
    });
    afterAll(async () => {
      redis?.resume();
      await emitter?.close();
      await redis?.close();
      await removeDir(dataDir);
    });

    it('hands the events to the outbox on disk within the bound', async () => {
      redis.pause();
      try {
        const started = Date.now();
        emitter.emit({ ...refusal, details: { reason: 'frozen-redis' } });
        await emitter.flush(HAND_OVER_WITHIN_MS);
        // The bound, plus an fsync and a busy machine's scheduling: far below any Redis timeout.
        expect(Date.now() - started).toBeLessThan(HAND_OVER_WITHIN_MS + 700);
        const dir = outboxDir(dataDir);
        const lines = (await Promise.all((await readdir(dir)).map((name) => readFile(path.join(dir, name), 'utf8')))).join('');
        expect(lines).toContain('frozen-redis');
      } finally {
        redis.resume();
      }
    });
  });
});
