/**
 * The audit delivery backlog the audit subgraph's /metrics shows: local outbox bytes past
 * the stored offsets, stream entries pending or not yet read by the store's consumer group,
 * and the age of the oldest waiting event. Against real Redis and real files.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'redis';
import { measureAuditBacklog } from '../subgraphs/audit/delivery/index.ts';
import { outboxOffsetsPath } from '../subgraphs/audit/delivery/backlog.ts';
import { outboxDir } from '../kit/audit-outbox.ts';
import { AUDIT_CONSUMER_GROUP, AUDIT_STREAM_FIELD } from '../kit/audit-stream.ts';
import { closeSharedRedis } from '../kit/redis.ts';
import { ServiceMetrics } from '../kit/service-metrics.ts';
import { auditEvent } from './support/audit-events.ts';
import { parseExposition, valueOf } from './support/prometheus.ts';
import { REDIS_URL } from './support/services.ts';
import { removeDir } from './support/temp-dir.ts';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('audit backlog', () => {
  let dataDir: string;
  const redis = createClient({ url: REDIS_URL });
  const streamKey = `test-${randomUUID()}:audit:events`;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'fil-backlog-'));
    await redis.connect();
  });
  afterAll(async () => {
    await redis.del(streamKey);
    redis.destroy();
    await closeSharedRedis();
    await removeDir(dataDir);
  });

  it('is empty with nothing waiting', async () => {
    expect(await measureAuditBacklog({ settings: { dataDir, redisUrl: REDIS_URL }, streamKey })).toEqual({ streamPending: 0, streamUndelivered: 0, outboxBytes: 0, oldestUndeliveredAt: undefined });
  });

  it('counts outbox bytes past the stored offset and dates the oldest line still waiting', async () => {
    const dir = outboxDir(dataDir);
    await mkdir(dir, { recursive: true });
    const name = `plants-${process.pid}-abc-123456.jsonl`;
    const first = `${JSON.stringify(auditEvent({ at: minutesAgo(10) }))}\n`;
    const second = `${JSON.stringify(auditEvent({ at: minutesAgo(4) }))}\n`;
    await writeFile(path.join(dir, name), first + second);
    const size = (await stat(path.join(dir, name))).size;

    const waiting = await measureAuditBacklog({ settings: { dataDir, redisUrl: undefined } });
    expect(waiting.outboxBytes).toBe(size);
    expect(Date.now() - waiting.oldestUndeliveredAt!.getTime()).toBeGreaterThanOrEqual(10 * 60_000);

    await writeFile(outboxOffsetsPath(dataDir), JSON.stringify({ [name]: Buffer.byteLength(first) }));
    const half = await measureAuditBacklog({ settings: { dataDir, redisUrl: undefined } });
    expect(half.outboxBytes).toBe(Buffer.byteLength(second));
    expect(Math.round((Date.now() - half.oldestUndeliveredAt!.getTime()) / 60_000)).toBe(4);

    await writeFile(outboxOffsetsPath(dataDir), JSON.stringify({ [name]: size }));
    expect(await measureAuditBacklog({ settings: { dataDir, redisUrl: undefined } })).toMatchObject({ outboxBytes: 0, oldestUndeliveredAt: undefined });
  });

  it('counts stream entries not read and read but not acknowledged, and shows them as gauges', async () => {
    for (let i = 0; i < 3; i += 1) await redis.xAdd(streamKey, '*', { [AUDIT_STREAM_FIELD]: JSON.stringify(auditEvent()) });
    const settings = { dataDir, redisUrl: REDIS_URL };
    expect(await measureAuditBacklog({ settings, streamKey })).toMatchObject({ streamPending: 0, streamUndelivered: 3 });

    await redis.xGroupCreate(streamKey, AUDIT_CONSUMER_GROUP, '0');
    await redis.xReadGroup(AUDIT_CONSUMER_GROUP, 'store-1', { key: streamKey, id: '>' }, { COUNT: 1 });
    const backlog = await measureAuditBacklog({ settings, streamKey });
    expect(backlog).toMatchObject({ streamPending: 1, streamUndelivered: 2 });
    expect(backlog.oldestUndeliveredAt!.getTime()).toBeLessThanOrEqual(Date.now());

    const metrics = new ServiceMetrics('audit');
    metrics.trackAuditBacklog(() => measureAuditBacklog({ settings, streamKey }));
    const samples = parseExposition(await metrics.render());
    expect(valueOf(samples, 'audit_stream_pending_entries', { service: 'audit' })).toBe(1);
    expect(valueOf(samples, 'audit_stream_undelivered_entries', { service: 'audit' })).toBe(2);
    expect(valueOf(samples, 'audit_outbox_backlog_bytes', { service: 'audit' })).toBe(0);
    expect(valueOf(samples, 'audit_oldest_undelivered_age_seconds', { service: 'audit' })).toBeGreaterThanOrEqual(0);
  });
});
