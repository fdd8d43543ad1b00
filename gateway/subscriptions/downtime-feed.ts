/**
 * One pub/sub subscription per gateway process, fanned out in memory to every subscriber:
 * an idle subscriber costs nothing, and each event costs one pass over the subscribers.
 */
import { EventEmitter, on } from 'node:events';
import { DOWNTIME_CHANNEL, isDowntimeEvent, type DowntimeEvent } from '../../subgraphs/kit/downtime-event.ts';
import { logger } from '../../subgraphs/kit/logger.ts';
import type { PubSub } from '../../subgraphs/kit/pubsub.ts';
import { transformIterator } from './iterators.ts';

export class DowntimeFeed {
  readonly #local = new EventEmitter().setMaxListeners(0);
  #stop: (() => Promise<void>) | undefined;

  async start(pubsub: PubSub): Promise<void> {
    this.#stop = await pubsub.subscribe(DOWNTIME_CHANNEL, (message) => {
      if (isDowntimeEvent(message)) this.#local.emit('event', message);
      else logger.warn('malformed downtime event dropped');
    });
  }

  /** Events for the given plants (API-wide events always), until the iterator is returned. */
  stream(plantIds: readonly string[] | null | undefined): AsyncIterableIterator<DowntimeEvent> {
    const wanted = plantIds && plantIds.length > 0 ? new Set(plantIds) : undefined;
    const events = on(this.#local, 'event') as AsyncIterator<[DowntimeEvent]>;
    return transformIterator(events, ([event]) => (!wanted || event.plantId === null || wanted.has(event.plantId) ? event : undefined));
  }

  subscriberCount(): number {
    return this.#local.listenerCount('event');
  }

  async stop(): Promise<void> {
    await this.#stop?.();
    this.#local.removeAllListeners();
  }
}
