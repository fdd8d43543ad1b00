/** The gateway's heap budget: its in-memory response cache must fit the heap it is given. */
import { describe, expect, it } from '@jest/globals';
import { loadSettings } from '../config/settings.ts';
import { startResponseCache } from '../gateway/response-cache/index.ts';
import { GATEWAY_HEAP_MB, responseCacheMisfit } from '../gateway/heap-budget.ts';
import { createPubSub } from '../kit/pubsub.ts';
import type { AuditSink } from '../kit/request-audit.ts';
import { createServiceTelemetry } from '../kit/service-telemetry.ts';

const MIB = 1024 * 1024;

describe('the response cache and the heap limit', () => {
  it('fits the default bound in the heap a gateway process is given', () => {
    const { maxBytes } = loadSettings({ NODE_ENV: 'test' }).gateway.responseCache;
    expect(responseCacheMisfit(maxBytes, GATEWAY_HEAP_MB * MIB)).toBeUndefined();
  });

  it('names the setting, the bound and the limit when a bound does not fit', () => {
    expect(responseCacheMisfit(100 * MIB, 192 * MIB)).toBe(
      "RESPONSE_CACHE_MAX_BYTES (100 MiB) does not fit this process's heap: at most 48 MiB of its 192 MiB limit (raise --max-old-space-size or lower the bound)",
    );
  });

  it('refuses to start an in-memory cache larger than this process can hold, and ignores the bound with Redis', async () => {
    const settings = loadSettings({ NODE_ENV: 'test', RESPONSE_CACHE_MAX_BYTES: String(Number.MAX_SAFE_INTEGER) });
    const pubsub = createPubSub({ redisUrl: undefined, keyPrefix: 'heap-budget:' });
    const audit: AuditSink = { emit: () => undefined };
    const { metrics } = createServiceTelemetry('gateway');
    try {
      await expect(startResponseCache({ settings, pubsub, audit, metrics })).rejects.toThrow(/RESPONSE_CACHE_MAX_BYTES .* does not fit this process's heap/);
    } finally {
      await pubsub.close();
    }
  });
});
