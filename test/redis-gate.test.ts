/**
 * The Redis gate fails a call Redis does not answer in time, and only such a call: when the
 * process itself was busy (a long synchronous task, a GC pause) the answer waiting on the
 * socket is taken, and Redis is not suspended for everyone.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { createRedisClient, destroyRedis, RedisGate } from '../kit/redis.ts';
import { eventually } from './support/eventually.ts';
import { REDIS_URL } from './support/services.ts';

/** Keeps the event loop busy, as a heavy synchronous task would. */
function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

describe('the Redis gate', () => {
  const client = createRedisClient(REDIS_URL, { name: 'gate-test' });
  afterAll(() => destroyRedis(client));

  it.each([300, 600, 2000])('takes an answer that waited while the process was busy for %i ms, and suspends nothing', async (busyMs) => {
    await eventually(() => (client.isReady ? true : undefined));
    const gate = new RedisGate(client);
    const answer = gate.run((redis) => redis.ping());
    busyFor(busyMs);
    await expect(answer).resolves.toBe('PONG');
    await expect(gate.run((redis) => redis.ping())).resolves.toBe('PONG');
  });

  it('still fails a call that Redis leaves unanswered', async () => {
    await eventually(() => (client.isReady ? true : undefined));
    const gate = new RedisGate(client);
    // A blocking read that outlives the command timeout stands for a hung Redis.
    const blocked = gate.run((redis) => redis.duplicate().connect().then((other) => other.blPop('gate-test:never', 2).finally(() => other.destroy())));
    await expect(blocked).rejects.toThrow(/did not answer/);
    await expect(gate.run((redis) => redis.ping())).rejects.toThrow(/a moment ago/);
  });
});
