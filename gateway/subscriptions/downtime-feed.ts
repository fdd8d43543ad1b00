/**
 * One pub/sub subscription per gateway process, fanned out in memory to every subscriber:
 * an idle subscriber costs nothing, and each event costs one pass over the subscribers.
 */
import { EventEmitter, on } from 'node:events';
import { DOWNTIME_CHANNEL, isDowntimeEvent, type DowntimeEvent } from '../../subgraphs/kit/downtime-event.ts';
import { logger } from '../../subgraphs/kit/logger.ts';
import type { PubSub } from '../../subgraphs/kit/pubsub.ts';

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
    const inner = on(this.#local, 'event') as AsyncIterableIterator<[DowntimeEvent]>;
    const iterator: AsyncIterableIterator<DowntimeEvent> = {
      async next() {
        for (;;) {
          const step = await inner.next();
          if (step.done) return { done: true, value: undefined };
          const [event] = step.value;
          if (!wanted || event.plantId === null || wanted.has(event.plantId)) return { done: false, value: event };
        }
      },
      async return() {
        await inner.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  subscriberCount(): number {
    return this.#local.listenerCount('event');
  }

  async stop(): Promise<void> {
    await this.#stop?.();
    this.#local.removeAllListeners();
  }
}
