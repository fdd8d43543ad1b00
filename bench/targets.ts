/**
 * Issue 13's targets, each beside what this run measured: met, missed, or not measured
 * (a scenario left out, a figure unknown). The bench reports them; it never fails on them.
 */
import { PLAIN } from './gateways.ts';
import type { Row } from './table.ts';

export interface TargetResult {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

export interface TargetInputs {
  readonly rows: readonly Row[];
  /** The added latency of the slowest sandbox upstream (all add the same). */
  readonly upstreamLatencyMs: number;
  /** Until the last subscriber had the alert (undefined: not measured). */
  readonly fanOut: { readonly subscribers: number; readonly ms: number } | undefined;
}

const CACHE_ON = 'ours (cache on)';
const CACHE_OFF = 'ours (cache off)';

export function evaluateTargets({ rows, upstreamLatencyMs, fanOut }: TargetInputs): TargetResult[] {
  const row = (scenario: string, gateway: string) => rows.find((r) => r.scenario === scenario && r.gateway === gateway);
  const results: TargetResult[] = [];
  const warm = row('widgets warm', CACHE_ON);
  results.push({
    target: `widgets warm, cache hit: >= 5x ${PLAIN} req/s`,
    measured: warm?.ratios[PLAIN] === undefined ? 'not measured' : `${warm.ratios[PLAIN]!.toFixed(2)}x`,
    met: warm?.ratios[PLAIN] === undefined ? undefined : warm.ratios[PLAIN]! >= 5,
  });
  results.push({ target: 'widgets warm, cache hit: p99 <= 50 ms', measured: warm ? `${warm.p99.toFixed(0)} ms` : 'not measured', met: warm ? warm.p99 <= 50 : undefined });
  const trails = row('plants with audit trails', CACHE_OFF);
  results.push({
    target: `plants with audit trails, cache off: >= 1.5x ${PLAIN} req/s`,
    measured: trails?.ratios[PLAIN] === undefined ? 'not measured' : `${trails.ratios[PLAIN]!.toFixed(2)}x`,
    met: trails?.ratios[PLAIN] === undefined ? undefined : trails.ratios[PLAIN]! >= 1.5,
  });
  const budget = upstreamLatencyMs + 15;
  for (const gateway of [CACHE_OFF, CACHE_ON]) {
    const cold = row('widgets cold 1 connection', gateway);
    results.push({ target: `cold, 1 connection (${gateway}): p95 <= ${budget} ms`, measured: cold ? `${cold.p95.toFixed(0)} ms` : 'not measured', met: cold ? cold.p95 <= budget : undefined });
  }
  const rss = rows.filter((r) => r.ours && r.peakRssMb !== undefined).map((r) => r.peakRssMb!);
  results.push({ target: 'our gateway RSS under load <= 250 MB', measured: rss.length ? `${Math.max(...rss).toFixed(0)} MB (peak)` : 'not measured', met: rss.length ? Math.max(...rss) <= 250 : undefined });
  results.push({
    target: 'alert fan-out to 500 subscribers < 0.5 s',
    measured: fanOut ? `${(fanOut.ms / 1000).toFixed(2)} s to ${fanOut.subscribers}` : 'not measured',
    met: fanOut && fanOut.subscribers >= 500 ? fanOut.ms < 500 : undefined,
  });
  return results;
}

export function formatTargets(results: readonly TargetResult[]): string {
  const width = Math.max(...results.map((r) => r.target.length));
  const verdict = (met: boolean | undefined) => (met === undefined ? '-' : met ? 'met' : 'MISSED');
  return results.map((r) => `  ${r.target.padEnd(width)}  ${r.measured.padStart(16)}  ${verdict(r.met)}`).join('\n');
}
