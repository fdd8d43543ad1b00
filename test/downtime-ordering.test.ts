/**
 * Replicas see the same upstream at slightly different moments. A transition is announced
 * once, by the first replica to see it, and a replica whose observation began before the
 * newest one recorded (its probe was sent before the upstream came back, its answer arrived
 * after) announces nothing: the clock of observations never turns back. Over the shared
 * Redis and over the in-process state alike.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { DOWNTIME_CHANNEL, type DowntimeEvent } from '../kit/downtime-event.ts';
import { UpstreamHealth } from '../kit/health.ts';
import { createPubSub, type PubSub } from '../kit/pubsub.ts';
import { closeSharedRedis } from '../kit/redis.ts';
import { createSharedState } from '../subgraphs/kit/shared-state.ts';
import { DowntimeWatcher } from '../subgraphs/plants/downtime.ts';
import type { Plant } from '../subgraphs/plants/connector.ts';
import { eventually } from './support/eventually.ts';
import { REDIS_URL } from './support/services.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, seconds));

describe.each([
  ['over Redis', REDIS_URL],
  ['in one process', undefined],
])('downtime transitions seen by two replicas %s', (_, redisUrl) => {
  const keyPrefix = `test-${randomUUID()}:`;
  const opened: PubSub[] = [];
  afterAll(async () => {
    for (const pubsub of opened) await pubsub.close();
    await closeSharedRedis();
  });

  async function replicas() {
    const heard: DowntimeEvent[] = [];
    const listener = createPubSub({ redisUrl, keyPrefix });
    opened.push(listener);
    await listener.subscribe(DOWNTIME_CHANNEL, (event) => heard.push(event as DowntimeEvent));
    const watcher = () => {
      const pubsub = createPubSub({ redisUrl, keyPrefix });
      opened.push(pubsub);
      return new DowntimeWatcher({ pubsub, state: createSharedState({ redisUrl, keyPrefix }), audit: { emit: () => undefined }, service: 'plants' });
    };
    return { heard, first: watcher(), second: watcher() };
  }

  it('announces each API transition once, and nothing for an observation that began before the newest', async () => {
    const { heard, first, second } = await replicas();
    await first.apiHealthChanged({ up: true, since: at(0), first: true });
    await second.apiHealthChanged({ up: true, since: at(0), first: true });
    await first.apiHealthChanged({ up: false, since: at(10) });
    await second.apiHealthChanged({ up: false, since: at(11) });
    await first.apiHealthChanged({ up: true, since: at(20) });
    // The second replica's probe left at 19 s, while the API was down, and failed late.
    await second.apiHealthChanged({ up: false, since: at(19) });
    await second.apiHealthChanged({ up: true, since: at(25) });
    await eventually(() => (heard.length >= 2 ? true : undefined));
    // Another transition goes out after the late one: nothing else was queued before it.
    await first.apiHealthChanged({ up: false, since: at(30) });
    await eventually(() => (heard.length >= 3 ? true : undefined));
    expect(heard.map((event) => event.kind)).toEqual(['API_DOWN', 'API_RESTORED', 'API_DOWN']);
  });

  it('orders plant statuses by the Plant API\'s own change time', async () => {
    const { heard, first, second } = await replicas();
    const plant = (status: string, seconds: number) => ({ id: `plant-${keyPrefix}`, name: 'North', status, updatedAt: at(seconds).toISOString() }) as Plant;
    await first.plantsSeen([plant('ONLINE', 0)]);
    await first.plantsSeen([plant('OFFLINE', 10)]);
    await second.plantsSeen([plant('OFFLINE', 10)]);
    await first.plantsSeen([plant('ONLINE', 20)]);
    // An answer fetched before the plant came back, handled after.
    await second.plantsSeen([plant('OFFLINE', 10)]);
    await second.plantsSeen([plant('MAINTENANCE', 30)]);
    await eventually(() => (heard.length >= 3 ? true : undefined));
    expect(heard.map((event) => event.kind)).toEqual(['PLANT_OFFLINE', 'PLANT_ONLINE', 'PLANT_MAINTENANCE']);
  });
});

describe('the health of an upstream', () => {
  it('takes no notice of an observation that began before the newest one heard', () => {
    const health = new UpstreamHealth();
    const heard: boolean[] = [];
    health.onChange(({ up }) => heard.push(up));
    health.reportUp(at(0));
    health.reportDown(at(10));
    health.reportUp(at(20));
    health.reportDown(at(15));
    expect(health.state).toEqual({ up: true, since: at(20) });
    health.reportDown(at(21));
    expect(heard).toEqual([true, false, true, false]);
  });
});
