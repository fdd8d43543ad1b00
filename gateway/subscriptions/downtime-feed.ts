/**
 * One pub/sub subscription per gateway process, fanned out in memory to every subscriber:
 * an idle subscriber costs nothing, and each event costs one pass over the subscribers.
 * An event heard twice (the same plant transition seen by two replicas, one of them late
 * after a Redis outage) reaches the subscribers once.
 * With the gateway's metrics it counts what it pushes and shows how many listen.
 */
import { EventEmitter, on } from 'node:events';
import { DOWNTIME_CHANNEL, isDowntimeEvent, type DowntimeEvent } from '../../kit/downtime-event.ts';
import { logger } from '../../kit/logger.ts';
import type { PubSub } from '../../kit/pubsub.ts';
import type { ServiceMetrics } from '../../kit/service-metrics.ts';
import { transformIterator } from './iterators.ts';

/** How many recent event ids are remembered to drop repeats. */
const REMEMBERED_IDS = 1000;

export class DowntimeFeed {
  readonly #local = new EventEmitter().setMaxListeners(0);
  readonly #seen = new Set<string>();
  #stop: (() => Promise<void>) | undefined;
  readonly #metrics: ServiceMetrics | undefined;

  constructor(metrics?: ServiceMetrics) {
    // Explicit, not from the async context: the in-process pub/sub runs listeners in the publisher's.
    this.#metrics = metrics;
    metrics?.trackSubscriptions(() => this.subscriberCount());
  }

  async start(pubsub: PubSub): Promise<void> {
    this.#stop = await pubsub.subscribe(DOWNTIME_CHANNEL, (message) => {
      if (!isDowntimeEvent(message)) return logger.warn('malformed downtime event dropped');
      if (this.#seen.has(message.id)) return;
      this.#seen.add(message.id);
      // Insertion order: the first is the oldest.
      if (this.#seen.size > REMEMBERED_IDS) this.#seen.delete(this.#seen.values().next().value!);
      this.#local.emit('event', message);
    });
  }

  /** Events for the given plants (API-wide events always), until the iterator is returned. */
  stream(plantIds: readonly string[] | null | undefined): AsyncIterableIterator<DowntimeEvent> {
    const wanted = plantIds && plantIds.length > 0 ? new Set(plantIds) : undefined;
    const events = on(this.#local, 'event') as AsyncIterator<[DowntimeEvent]>;
    return transformIterator(events, ([event]) => {
      if (wanted && event.plantId !== null && !wanted.has(event.plantId)) return undefined;
      this.#metrics?.countAlertDelivered(event.kind);
      return event;
    });
  }

  subscriberCount(): number {
    return this.#local.listenerCount('event');
  }

  async stop(): Promise<void> {
    await this.#stop?.();
    this.#local.removeAllListeners();
  }
}
