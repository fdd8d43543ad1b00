/**
 * The local audit outbox: JSON lines files under `<dataDir>/audit/outbox`, one file per
 * writer (`<service>-<pid>-<start>-<random>.jsonl`). One writer per file means appends never
 * interleave; the pid in the name lets the consumer tell when a writer is gone; the start
 * time and random part keep names unique, so a consumer offset can never refer to an older
 * file of the same name. A writer that closes cleanly leaves `<file>.sealed` next to it.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AuditEvent } from './audit-event.ts';
import { onProcessExit } from './exit-hooks.ts';

export const OUTBOX_EXTENSION = '.jsonl';
export const SEALED_SUFFIX = '.sealed';

/** Folder of the outbox files under a data directory. */
export function outboxDir(dataDir: string): string {
  return path.join(dataDir, 'audit', 'outbox');
}

/** Pid of the process writing an outbox file, read from its name (null for foreign files). */
export function outboxWriterPid(fileName: string): number | null {
  const match = /-(\d+)-[a-z0-9]+-[a-z0-9]+\.jsonl$/.exec(fileName);
  return match ? Number(match[1]) : null;
}

export interface OutboxWriterOptions {
  dir: string;
  service: string;
  /** How long lines wait to be written together (default 20 ms). */
  batchDelayMs?: number;
  /** Called when a write fails (the lines stay queued and are retried). */
  onError?: (error: unknown) => void;
}

/** Appends events to this writer's outbox file in batches, each batch fsynced. */
export interface OutboxWriter {
  readonly filePath: string;
  append(events: readonly AuditEvent[]): void;
  /** Resolves when every line appended so far is on disk. */
  flush(): Promise<void>;
  /** Flushes, seals the file and stops; later appends go straight to disk synchronously. */
  close(): Promise<void>;
}

/** Opens (lazily) a new outbox file for this process and service. */
export function createOutboxWriter({ dir, service, batchDelayMs = 20, onError = () => {} }: OutboxWriterOptions): OutboxWriter {
  const safeService = service.replace(/[^A-Za-z0-9_.]/g, '_') || 'service';
  const fileName = `${safeService}-${process.pid}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}${OUTBOX_EXTENSION}`;
  const filePath = path.join(dir, fileName);
  let queued: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let handle: Promise<FileHandle> | undefined;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  const fileHandle = () => (handle ??= mkdir(dir, { recursive: true }).then(() => open(filePath, 'a')));

  function writeQueued(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    // Chained so batches land in order and one at a time.
    writing = writing.then(async () => {
      if (queued.length === 0) return;
      const lines = queued;
      queued = [];
      try {
        const file = await fileHandle();
        await file.appendFile(lines.join(''));
        await file.datasync();
      } catch (error) {
        handle = undefined;
        queued = lines.concat(queued);
        onError(error);
        throw error;
      }
    });
    const settled = writing;
    writing = writing.catch(() => {});
    return settled;
  }

  // A crash between emit and the timer would lose the batch; exit hooks cover normal exits.
  const unregister = onProcessExit(() => {
    if (queued.length === 0) return;
    mkdirSync(dir, { recursive: true });
    appendFileSync(filePath, queued.join(''));
    queued = [];
  });

  return {
    filePath,
    append(events) {
      for (const event of events) queued.push(`${JSON.stringify(event)}\n`);
      if (closed) {
        const lines = queued.join('');
        queued = [];
        mkdirSync(dir, { recursive: true });
        appendFileSync(filePath, lines);
        return;
      }
      timer ??= setTimeout(() => void writeQueued().catch(() => {}), batchDelayMs);
    },
    flush: () => writeQueued(),
    async close() {
      if (closed) return;
      await writeQueued();
      closed = true;
      unregister();
      if (!handle) return; // Never written: no file to seal.
      await (await handle).close();
      handle = undefined;
      // Tells the consumer this file is complete even though this pid is still alive.
      await writeFile(`${filePath}${SEALED_SUFFIX}`, '');
    },
  };
}
