/**
 * The memory a gateway process is given when it runs on its own (the cluster, the image,
 * the bench). Left to its defaults, V8 lets the old generation grow to several times what
 * is live before it collects: under load a gateway with 60 MB live sat at 400+ MB resident.
 * Given limits, V8 collects sooner at no measured cost in requests/s (bench, "gw rss MB").
 * `npm start` runs every service in one process and keeps Node's defaults.
 */
import { getHeapStatistics } from 'node:v8';

/** The old generation's limit, in MiB. */
export const GATEWAY_HEAP_MB = 160;

/** The young generation's semi-space, in MiB: a cap on what each young collection sweeps (bench: no loss of requests/s at 16; at 8, a tenth fewer on misses). */
export const GATEWAY_SEMI_SPACE_MB = 16;

/** The Node flags that set them, for whatever starts a gateway process. */
export const GATEWAY_NODE_ARGS: readonly string[] = [`--max-old-space-size=${GATEWAY_HEAP_MB}`, `--max-semi-space-size=${GATEWAY_SEMI_SPACE_MB}`];

/**
 * A cached answer takes several times its JSON length as objects on the heap; the memory
 * store may hold at most this share of the heap's limit, so a full cache cannot run the
 * process out of memory.
 */
export const RESPONSE_CACHE_HEAP_SHARE = 1 / 4;

/** Why the in-memory response cache's bound does not fit this process's heap, or undefined when it does. */
export function responseCacheMisfit(maxBytes: number, heapLimitBytes = getHeapStatistics().heap_size_limit): string | undefined {
  const fits = Math.floor(heapLimitBytes * RESPONSE_CACHE_HEAP_SHARE);
  if (maxBytes <= fits) return undefined;
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
  return `RESPONSE_CACHE_MAX_BYTES (${mib(maxBytes)}) does not fit this process's heap: at most ${mib(fits)} of its ${mib(heapLimitBytes)} limit (raise --max-old-space-size or lower the bound)`;
}
