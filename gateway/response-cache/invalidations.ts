/**
 * The changes that drop cached answers, heard on the pub/sub: entities a subgraph announced
 * after a signed webhook (kit/cache-invalidation.ts), and the Plant API's downtime
 * transitions (kit/downtime-event.ts): API down or back drops every answer the plants
 * subgraph contributed to, so the banner appears and goes as it would without the cache; a
 * plant's status change drops the answers that carried that plant (or a list of plants).
 *
 * Each change is also remembered here, by tag and time, for as long as an entry can live:
 * an entry whose execution began before a change of one of its tags is not served, even
 * when the store's drop is late (Redis slow or away) or the execution was still running
 * when the change was heard (it would store what it read before the change).
 */
import { CACHE_INVALIDATION_CHANNEL, isCacheInvalidation } from '../../kit/cache-invalidation.ts';
import { DOWNTIME_CHANNEL, isDowntimeEvent } from '../../kit/downtime-event.ts';
import { logger } from '../../kit/logger.ts';
import type { PubSub } from '../../kit/pubsub.ts';
import type { ServiceMetrics } from '../../kit/service-metrics.ts';
import { tagsOfChange } from './entity-tags.ts';
import type { CachedAnswer, ResponseStore } from './store.ts';

/** The tag of every answer a service contributed to. */
export const serviceTag = (service: string) => `service:${service}`;

/** The subgraph whose upstream the downtime feed speaks of. */
const DOWNTIME_SERVICE = 'plants';

export class Invalidations {
  /** When each tag was last dropped; oldest first. */
  readonly #droppedAt = new Map<string, number>();
  readonly #store: ResponseStore;
  readonly #metrics: ServiceMetrics;
  readonly #stops: (() => Promise<void>)[] = [];
  /** The longest lifetime of any entry stored: changes older than that concern no entry. */
  #longestLifetimeMs = 0;

  constructor(store: ResponseStore, metrics: ServiceMetrics) {
    this.#store = store;
    this.#metrics = metrics;
  }

  async start(pubsub: PubSub): Promise<void> {
    this.#stops.push(
      await pubsub.subscribe(CACHE_INVALIDATION_CHANNEL, (message) => {
        if (!isCacheInvalidation(message)) return logger.warn('malformed cache invalidation dropped');
        this.drop(message.entities.flatMap(tagsOfChange), 'entity');
      }),
      await pubsub.subscribe(DOWNTIME_CHANNEL, (message) => {
        if (!isDowntimeEvent(message)) return;
        this.drop(message.plantId === null ? [serviceTag(DOWNTIME_SERVICE)] : tagsOfChange({ type: 'Plant', id: message.plantId }), 'downtime');
      }),
    );
  }

  /** Drops the entries with these tags: at once for this replica, in the store for all. */
  drop(tags: readonly string[], cause: 'entity' | 'downtime'): void {
    const now = Date.now();
    for (const tag of tags) {
      this.#droppedAt.delete(tag);
      this.#droppedAt.set(tag, now);
    }
    this.#forgetOld(now);
    this.#metrics.countResponseCacheInvalidation(cause);
    void this.#store.drop(tags);
  }

  /** Whether a change heard since the entry's execution began concerns it. */
  outdated(entry: CachedAnswer): boolean {
    return entry.tags.some((tag) => (this.#droppedAt.get(tag) ?? -Infinity) >= entry.storedAt);
  }

  /** Notes how long an entry stored or served may live. */
  noteLifetime(entry: CachedAnswer): void {
    this.#longestLifetimeMs = Math.max(this.#longestLifetimeMs, entry.expiresAt - entry.storedAt);
  }

  #forgetOld(now: number): void {
    for (const [tag, at] of this.#droppedAt) {
      if (now - at <= this.#longestLifetimeMs) break;
      this.#droppedAt.delete(tag);
    }
  }

  async stop(): Promise<void> {
    for (const stop of this.#stops.splice(0)) await stop();
  }
}
