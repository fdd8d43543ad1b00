/** Temporary folders of tests. */
import { rm } from 'node:fs/promises';

/**
 * Removes a folder tree. Retries, since a writer finishing late (an audit event spooled by
 * a closing service) can add a file while the tree is being removed.
 */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}
