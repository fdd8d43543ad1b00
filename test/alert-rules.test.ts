/**
 * The Prometheus rules in deploy/prometheus: valid for Prometheus (`promtool check rules`)
 * and doing what their unit tests say (`promtool test rules`). promtool comes from Debian's
 * `prometheus` package (.ci/run installs it); without it these tests fail, they never skip.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { removeDir } from './support/temp-dir.ts';

const RULES_DIR = fileURLToPath(new URL('../deploy/prometheus/', import.meta.url));
const run = promisify(execFile);

async function promtool(args: string[], cwd = RULES_DIR): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { code?: unknown; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('promtool is not installed: apt-get install prometheus (.ci/run does it)');
    return { code: typeof failure.code === 'number' ? failure.code : 1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

describe('alert rules', () => {
  it('pass promtool check rules', async () => {
    const { code, output } = await promtool(['check', 'rules', 'alerts.yml']);
    expect(output).toMatch(/SUCCESS: 7 rules found/);
    expect(code).toBe(0);
  });

  it('pass their unit tests (promtool test rules)', async () => {
    const { code, output } = await promtool(['test', 'rules', 'alerts.test.yml']);
    expect(output).toMatch(/SUCCESS/);
    expect(code).toBe(0);
  });

  it('hold the seed alerts: p95 of api_latency_seconds above 0.4 s and auth_failure_rate above 5 %, each for 5 minutes', async () => {
    const rules = await readFile(path.join(RULES_DIR, 'alerts.yml'), 'utf8');
    expect(rules).toMatch(/- record: auth_failure_rate\n\s+expr: sum by \(service\) \(rate\(auth_failures_total\[5m\]\)\) \/ sum by \(service\) \(rate\(auth_requests_total\[5m\]\)\)/);
    expect(rules).toMatch(/expr: histogram_quantile\(0\.95, sum by \(service, api, le\) \(rate\(api_latency_seconds_bucket\[5m\]\)\)\)/);
    expect(rules).toMatch(/- alert: ApiLatencyP95High\n\s+expr: api_latency_p95_seconds > 0\.4\n\s+for: 5m/);
    expect(rules).toMatch(/- alert: AuthFailureRateHigh\n\s+expr: auth_failure_rate > 0\.05\n\s+for: 5m/);
  });

  it('have unit tests that fail when a rule stops doing what they expect', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fil-rules-'));
    try {
      const rules = await readFile(path.join(RULES_DIR, 'alerts.yml'), 'utf8');
      await writeFile(path.join(dir, 'alerts.yml'), rules.replace('expr: api_latency_p95_seconds > 0.4', 'expr: api_latency_p95_seconds > 0.5'));
      await copyFile(path.join(RULES_DIR, 'alerts.test.yml'), path.join(dir, 'alerts.test.yml'));
      const { code, output } = await promtool(['test', 'rules', 'alerts.test.yml'], dir);
      expect(code).not.toBe(0);
      expect(output).toMatch(/ApiLatencyP95High/);
    } finally {
      await removeDir(dir);
    }
  });
});
