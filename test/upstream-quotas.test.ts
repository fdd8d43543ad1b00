/**
 * Every upstream's outbound quota comes from its policy: set PLANT_API_QUOTA_PER_MINUTE or
 * CORE_BANKING_QUOTA_PER_MINUTE and calls beyond it wait for the next window (Stripe,
 * SendGrid and Google Analytics have their own tests of the same).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './support/stack.ts';

const PER_WINDOW = 2;
const WINDOW_MS = 1000;

describe('outbound quotas from each upstream policy', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      env: Object.fromEntries(['PLANT_API', 'CORE_BANKING'].flatMap((api) => [[`${api}_QUOTA_PER_MINUTE`, String(PER_WINDOW)], [`${api}_QUOTA_WINDOW_MS`, String(WINDOW_MS)]])),
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each([
    ['the Plant API', (n: number) => `{ plant(id: "plant-${String(60 + n).padStart(3, '0')}") { id } }`],
    ['core banking', (n: number) => `{ holidays(institutionId: "inst-001", year: ${2030 + n}) { date } }`],
  ])('holds calls to %s beyond its quota until the next window, and answers them all', async (_name, query) => {
    const token = await stack.token('ADMIN');
    const started = Date.now();
    // Five uncached calls at two a window span at least three windows, so at least two window starts.
    for (let n = 0; n < 5; n += 1) {
      const { body } = await stack.query(query(n), { token });
      expect(body.errors).toBeUndefined();
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS);
  });
});
