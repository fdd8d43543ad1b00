/**
 * The bench's table: one row per scenario and gateway (requests/s, latency percentiles,
 * failures, CPU seconds of the gateway and of the subgraph tier while driven, upstream
 * calls per operation, the gateway's peak RSS, answers with GraphQL errors, the share
 * its response cache served) and, on our rows, our requests/s as a
 * multiple of each comparison gateway's in the same scenario.
 */
import { HIVE, PLAIN } from './gateways.ts';
import { percentile } from './load.ts';
import type { Measurement } from './rounds.ts';

export interface Row {
  readonly scenario: string;
  readonly gateway: string;
  readonly ours: boolean;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly failed: number;
  readonly withErrors: number;
  readonly errorCodes: Readonly<Record<string, number>>;
  /** Share (0..1) of answers served from the response cache. */
  readonly hitShare: number;
  readonly gatewayCpuSeconds: number | undefined;
  readonly tierCpuSeconds: number | undefined;
  readonly upstreamPerOperation: number;
  readonly peakRssMb: number | undefined;
  /** Our requests/s over the comparison gateway's, by its name (ours only). */
  readonly ratios: Readonly<Record<string, number>>;
}

export function rowsOf(measurements: readonly Measurement[]): Row[] {
  const rps = (m: Measurement) => m.requests / Math.max(1e-9, m.seconds);
  return measurements.map((m) => {
    const sorted = [...m.latencies].sort((a, b) => a - b);
    const ratios: Record<string, number> = {};
    if (m.ours) {
      for (const other of measurements.filter((o) => o.scenario === m.scenario && !o.ours)) ratios[other.gateway] = rps(m) / Math.max(1e-9, rps(other));
    }
    return {
      scenario: m.scenario,
      gateway: m.gateway,
      ours: m.ours,
      requestsPerSecond: rps(m),
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      p99: percentile(sorted, 0.99),
      failed: m.failed,
      withErrors: m.withErrors,
      errorCodes: m.errorCodes,
      hitShare: m.cacheHits / Math.max(1, m.requests),
      gatewayCpuSeconds: m.gatewayCpuSeconds,
      tierCpuSeconds: m.tierCpuSeconds,
      upstreamPerOperation: m.upstreamCalls / Math.max(1, m.requests),
      peakRssMb: m.peakRssMb,
      ratios,
    };
  });
}

const HEADER = ['scenario', 'gateway', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'failed', 'with errors', 'hits %', 'gw cpu s', 'subgraphs cpu s', 'upstream/op', 'gw rss MB', `x ${PLAIN}`, `x ${HIVE}`];

export function formatTable(rows: readonly Row[]): string {
  const fixed = (value: number | undefined, digits: number) => (value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits));
  const ratio = (row: Row, other: string) => (row.ratios[other] === undefined ? '' : `${fixed(row.ratios[other], 2)}x`);
  const cells = rows.map((row) => [
    row.scenario,
    row.gateway,
    fixed(row.requestsPerSecond, 0),
    fixed(row.p50, 0),
    fixed(row.p95, 0),
    fixed(row.p99, 0),
    String(row.failed),
    String(row.withErrors),
    fixed(row.hitShare * 100, 0),
    fixed(row.gatewayCpuSeconds, 1),
    fixed(row.tierCpuSeconds, 1),
    fixed(row.upstreamPerOperation, 3),
    fixed(row.peakRssMb, 0),
    ratio(row, PLAIN),
    ratio(row, HIVE),
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** What the answers with errors said, row by row (a widget's FORBIDDEN field is by design; a timeout is not). */
export function formatErrorCodes(rows: readonly Row[]): string {
  const lines = rows
    .filter((row) => row.withErrors > 0)
    .map((row) => {
      const codes = Object.entries(row.errorCodes).sort(([, a], [, b]) => b - a);
      return `${row.scenario} / ${row.gateway}: ${codes.map(([code, count]) => `${code} ${count}`).join(', ')}`;
    });
  return lines.length ? `answers with errors, by error code:\n${lines.map((line) => `  ${line}`).join('\n')}` : 'no answer carried errors';
}
