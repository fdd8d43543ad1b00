/**
 * Cached answers in this process, bounded by their serialised size: past the bound the
 * least recently used go first. A tag index finds what a change drops.
 */
import type { CachedAnswer, ResponseStore } from './store.ts';

interface Held {
  entry: CachedAnswer;
  bytes: number;
}

export function memoryStore({ maxBytes }: { maxBytes: number }): ResponseStore & { readonly bytes: number } {
  // A Map keeps insertion order: re-inserting on use makes the first key the least recently used.
  const entries = new Map<string, Held>();
  const byTag = new Map<string, Set<string>>();
  let bytes = 0;

  function remove(key: string): void {
    const held = entries.get(key);
    if (!held) return;
    entries.delete(key);
    bytes -= held.bytes;
    for (const tag of held.entry.tags) {
      const keys = byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) byTag.delete(tag);
    }
  }

  return {
    get bytes() {
      return bytes;
    },
    async get(key) {
      const held = entries.get(key);
      if (!held) return undefined;
      if (held.entry.expiresAt <= Date.now()) {
        remove(key);
        return undefined;
      }
      entries.delete(key);
      entries.set(key, held);
      return held.entry;
    },
    async set(key, entry) {
      remove(key);
      // Its JSON length: near enough to what it holds, and what Redis would hold.
      const size = JSON.stringify(entry).length;
      if (size > maxBytes) return;
      entries.set(key, { entry, bytes: size });
      bytes += size;
      for (const tag of entry.tags) {
        let keys = byTag.get(tag);
        if (!keys) byTag.set(tag, (keys = new Set()));
        keys.add(key);
      }
      while (bytes > maxBytes) remove(entries.keys().next().value!);
    },
    async drop(tags) {
      for (const tag of tags) for (const key of [...(byTag.get(tag) ?? [])]) remove(key);
    },
    async close() {
      entries.clear();
      byTag.clear();
      bytes = 0;
    },
  };
}
