/**
 * Waits for the subgraph tier to go quiet before the next drive. Work one drive leaves
 * behind must not be billed to the next gateway: above all the audit events of a fast
 * drive (ADMIN's audited reads, written again for every cache hit), which the tier goes on
 * storing for seconds after the load stops.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSeconds } from './proc-stats.ts';

/** Quiet: less than this share of one core over a sample. */
const QUIET_SHARE = 0.15;
const SAMPLE_MS = 500;

/** Resolves once the process used less than QUIET_SHARE of a core over one sample, or after `withinMs`; says which. */
export async function settled(pid: number, withinMs = 60_000): Promise<{ quiet: boolean; waitedMs: number }> {
  const started = performance.now();
  let before = cpuSeconds(pid);
  if (before === undefined) return { quiet: true, waitedMs: 0 }; // Not measurable here: nothing to wait on.
  while (performance.now() - started < withinMs) {
    await sleep(SAMPLE_MS);
    const now = cpuSeconds(pid);
    if (now === undefined) break;
    if (now - before < (QUIET_SHARE * SAMPLE_MS) / 1000) return { quiet: true, waitedMs: performance.now() - started };
    before = now;
  }
  return { quiet: false, waitedMs: performance.now() - started };
}
