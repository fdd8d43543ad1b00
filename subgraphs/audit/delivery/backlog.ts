/**
 * How far audit delivery lags behind the producers, measured when /metrics is scraped: the
 * Redis Stream's consumer group (entries read but not acknowledged, entries not read yet)
 * and the local outbox (bytes past the stored offsets), with the time of the oldest event
 * still waiting in either. Read-only: it never moves an offset or acknowledges an entry.
 */
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../../config/settings.ts';
import { OUTBOX_EXTENSION, outboxDir } from '../../../kit/audit-outbox.ts';
import { AUDIT_CONSUMER_GROUP, auditStreamKey } from '../../../kit/audit-stream.ts';
import { withRedis } from '../../../kit/redis.ts';
import type { AuditBacklog } from '../../../kit/service-metrics.ts';
import { loadOffsets } from './outbox-offsets.ts';

export interface BacklogOptions {
  settings: Pick<Settings, 'dataDir' | 'redisUrl'> & Partial<Pick<Settings, 'keyPrefix'>>;
  streamKey?: string;
}

/** Where the outbox consumer keeps its offsets (start-audit-consumer.ts writes it there). */
export function outboxOffsetsPath(dataDir: string): string {
  return path.join(dataDir, 'audit', 'outbox-offsets.json');
}

export async function measureAuditBacklog({ settings, streamKey = auditStreamKey(settings.keyPrefix) }: BacklogOptions): Promise<AuditBacklog> {
  const [outbox, stream] = await Promise.all([outboxBacklog(settings.dataDir), settings.redisUrl ? streamBacklog(settings.redisUrl, streamKey) : undefined]);
  const oldest = [outbox.oldestAt, stream?.oldestAt].filter((at): at is Date => at !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
  return { streamPending: stream?.pending ?? 0, streamUndelivered: stream?.undelivered ?? 0, outboxBytes: outbox.bytes, oldestUndeliveredAt: oldest };
}

async function outboxBacklog(dataDir: string): Promise<{ bytes: number; oldestAt: Date | undefined }> {
  const dir = outboxDir(dataDir);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(OUTBOX_EXTENSION));
  } catch {
    return { bytes: 0, oldestAt: undefined };
  }
  const offsets = await loadOffsets(outboxOffsetsPath(dataDir));
  let bytes = 0;
  let oldestAt: Date | undefined;
  for (const name of names) {
    const file = path.join(dir, name);
    const size = await stat(file).then((info) => info.size, () => 0);
    const offset = offsets.get(name) ?? 0;
    if (size <= offset) continue;
    bytes += size - offset;
    const at = await firstLineTime(file, offset);
    if (at && (!oldestAt || at < oldestAt)) oldestAt = at;
  }
  return { bytes, oldestAt };
}

/** The `at` of the first line past the offset (the oldest event of that file still waiting). */
async function firstLineTime(file: string, offset: number): Promise<Date | undefined> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    const line = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '';
    const at = (JSON.parse(line) as { at?: unknown }).at;
    const time = typeof at === 'string' ? Date.parse(at) : Number.NaN;
    return Number.isNaN(time) ? undefined : new Date(time);
  } catch {
    return undefined; // a line still being written: its age shows at the next scrape
  } finally {
    await handle.close();
  }
}

async function streamBacklog(url: string, key: string): Promise<{ pending: number; undelivered: number; oldestAt: Date | undefined }> {
  return withRedis(url, async (client) => {
    if ((await client.exists(key)) === 0) return { pending: 0, undelivered: 0, oldestAt: undefined };
    const groups = await client.xInfoGroups(key);
    const group = groups.find((info) => String(info.name) === AUDIT_CONSUMER_GROUP);
    if (!group) {
      // No consumer ever read the stream: all of it waits.
      const [first] = await client.xRange(key, '-', '+', { COUNT: 1 });
      return { pending: 0, undelivered: Number(await client.xLen(key)), oldestAt: first ? idTime(first.id) : undefined };
    }
    const summary = await client.xPending(key, AUDIT_CONSUMER_GROUP);
    const [nextUnread] = await client.xRange(key, `(${String(group['last-delivered-id'])}`, '+', { COUNT: 1 });
    const times = [summary.firstId ? idTime(String(summary.firstId)) : undefined, nextUnread ? idTime(nextUnread.id) : undefined].filter((at): at is Date => at !== undefined);
    return {
      pending: Number(summary.pending),
      undelivered: Number(group.lag ?? 0),
      oldestAt: times.sort((a, b) => a.getTime() - b.getTime())[0],
    };
  });
}

/** Stream ids start with the millisecond the entry was added. */
function idTime(id: string): Date | undefined {
  const ms = Number(id.split('-')[0]);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}
