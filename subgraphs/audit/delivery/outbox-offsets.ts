/**
 * How far each outbox file has been stored: `{ "<file name>": <byte offset> }`, written
 * only after the rows committed and replaced atomically (temp file + rename), so a restart
 * re-reads at most the lines stored since the last write (harmless: ids are idempotent).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';

export type OutboxOffsets = Map<string, number>;

export async function loadOffsets(filePath: string): Promise<OutboxOffsets> {
  try {
    const parsed = JSON.parse(await readFile(filePath, 'utf8')) as unknown;
    const offsets: OutboxOffsets = new Map();
    if (parsed && typeof parsed === 'object') {
      for (const [name, offset] of Object.entries(parsed)) if (Number.isSafeInteger(offset) && offset >= 0) offsets.set(name, offset);
    }
    return offsets;
  } catch (error) {
    // Missing or unreadable: start from the beginning, idempotency absorbs the re-read.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
    return new Map();
  }
}

export async function saveOffsets(filePath: string, offsets: OutboxOffsets): Promise<void> {
  const temporary = `${filePath}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(Object.fromEntries(offsets)), { flush: true });
  await rename(temporary, filePath);
}
