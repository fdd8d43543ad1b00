/**
 * Drains the local audit outbox into the store: polls the folder, stores complete lines past
 * each file's offset, records the new offset after the rows committed, and deletes files
 * whose writer is finished (sealed, or its process gone) once fully stored.
 */
import { open, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEvent } from '../../../kit/audit-event.ts';
import { OUTBOX_EXTENSION, outboxWriterPid, SEALED_SUFFIX } from '../../../kit/audit-outbox.ts';
import type { AuditStore } from '../store/audit-store.ts';
import { decodeAuditEvent } from './decode-event.ts';
import { loadOffsets, saveOffsets, type OutboxOffsets } from './outbox-offsets.ts';

export interface OutboxConsumerOptions {
  dir: string;
  offsetsPath: string;
  store: AuditStore;
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface RunningConsumer {
  /** Finishes the batch in progress and stops. */
  stop(): Promise<void>;
}

const CHUNK_BYTES = 4 * 1024 * 1024;
const APPEND_BATCH = 500;

export async function startOutboxConsumer({ dir, offsetsPath, store, pollIntervalMs = 200, onError = () => {} }: OutboxConsumerOptions): Promise<RunningConsumer> {
  const offsets = await loadOffsets(offsetsPath);
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> = Promise.resolve();

  const tick = () => {
    draining = drainOutbox(dir, offsetsPath, offsets, store, onError)
      .catch((error: unknown) => onError(error))
      .finally(() => {
        if (!stopping) timer = setTimeout(tick, pollIntervalMs);
      });
  };
  tick();

  return {
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await draining;
    },
  };
}

/** One pass over the outbox folder. */
export async function drainOutbox(dir: string, offsetsPath: string, offsets: OutboxOffsets, store: AuditStore, onError: (error: unknown) => void): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(OUTBOX_EXTENSION)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) await drainFile(dir, name, offsetsPath, offsets, store, onError);
}

async function drainFile(dir: string, name: string, offsetsPath: string, offsets: OutboxOffsets, store: AuditStore, onError: (error: unknown) => void): Promise<void> {
  const filePath = path.join(dir, name);
  // Checked before the size: once finished, a file cannot grow past the size read next.
  const finished = await writerFinished(filePath, name);
  let size: number;
  try {
    size = (await stat(filePath)).size;
  } catch {
    return;
  }
  let offset = offsets.get(name) ?? 0;
  if (offset > size) offset = 0; // Cannot happen with unique names; re-reading is the safe answer.

  while (offset < size) {
    const chunk = await readRange(filePath, offset, Math.min(size - offset, CHUNK_BYTES));
    const end = chunk.lastIndexOf(0x0a);
    let consumed: number;
    let text: string;
    if (end >= 0) {
      consumed = end + 1;
      text = chunk.subarray(0, end).toString('utf8');
    } else if (finished && offset + chunk.length === size) {
      // A writer that died mid-append leaves a torn last line: keep it if it parses.
      consumed = chunk.length;
      text = chunk.toString('utf8');
    } else if (chunk.length === CHUNK_BYTES) {
      onError(new Error(`Skipping ${CHUNK_BYTES} bytes without a line break in ${name}`));
      consumed = chunk.length;
      text = '';
    } else {
      break; // The writer is mid-line: wait for the rest.
    }
    await storeLines(text, name, store, onError);
    offset += consumed;
    offsets.set(name, offset);
    await saveOffsets(offsetsPath, offsets);
  }

  if (finished && offset >= size) {
    await unlink(filePath).catch(() => {});
    await unlink(`${filePath}${SEALED_SUFFIX}`).catch(() => {});
    offsets.delete(name);
    await saveOffsets(offsetsPath, offsets);
  }
}

async function storeLines(text: string, fileName: string, store: AuditStore, onError: (error: unknown) => void): Promise<void> {
  const events: AuditEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const event = decodeAuditEvent(line);
    if (typeof event === 'string') onError(new Error(`Dropping an invalid audit line in ${fileName}: ${event}`));
    else events.push(event);
  }
  for (let start = 0; start < events.length; start += APPEND_BATCH) await store.append(events.slice(start, start + APPEND_BATCH));
}

async function readRange(filePath: string, position: number, length: number): Promise<Buffer> {
  const file = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** True when nobody will append to the file again: sealed by its writer, or the writer's process is gone. */
async function writerFinished(filePath: string, name: string): Promise<boolean> {
  try {
    await stat(`${filePath}${SEALED_SUFFIX}`);
    return true;
  } catch {
    const pid = outboxWriterPid(name);
    return pid !== null && !processAlive(pid);
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
