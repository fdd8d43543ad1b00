/**
 * The process launcher on a real entry point (the Stripe sandbox, quick to start): ready on
 * its listening line, stopped and killed on request, an exit nobody asked for reported, and
 * a start that fails named with its output.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { launch, type ProcessExit } from '../scripts/processes.ts';
import { until } from './support/eventually.ts';
import { removeDir } from './support/temp-dir.ts';

describe('the process launcher', () => {
  let dataDir: string;
  const env = () => ({ ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir, STRIPE_PORT: '0' });
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'fil-processes-'));
  });
  afterAll(async () => {
    await removeDir(dataDir);
  });

  it('resolves with the URL the process announces, and stops it with SIGTERM', async () => {
    const lines: string[] = [];
    const unexpected: ProcessExit[] = [];
    const stripe = await launch({ name: 'stripe', main: 'sandbox/stripe/main.ts', env: env(), onLine: (line) => lines.push(line), onUnexpectedExit: (exit) => unexpected.push(exit) });
    expect(stripe.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.some((line) => line.includes(`listening on ${stripe.url}`))).toBe(true);
    expect((await fetch(`${stripe.url}/health`)).status).toBe(200);
    expect(stripe.running()).toBe(true);

    const exit = await stripe.stop();
    expect(exit).toEqual({ code: 0, signal: null, expected: true });
    expect(stripe.running()).toBe(false);
    expect(unexpected).toEqual([]);
    await expect(fetch(`${stripe.url}/health`)).rejects.toThrow();
  });

  it('kills with SIGKILL on request', async () => {
    const stripe = await launch({ name: 'stripe', main: 'sandbox/stripe/main.ts', env: env() });
    expect(await stripe.kill()).toEqual({ code: null, signal: 'SIGKILL', expected: true });
  });

  it('reports an exit nobody asked for', async () => {
    const unexpected: ProcessExit[] = [];
    const stripe = await launch({ name: 'stripe', main: 'sandbox/stripe/main.ts', env: env(), onUnexpectedExit: (exit) => unexpected.push(exit) });
    process.kill(stripe.pid, 'SIGKILL');
    await until(() => unexpected.length > 0);
    expect(unexpected).toEqual([{ code: null, signal: 'SIGKILL', expected: false }]);
    expect(await stripe.exited).toEqual(unexpected[0]);
  });

  it('lets a subgraph finish its own shutdown on SIGTERM (exit code 0, not the signal)', async () => {
    // Outside NODE_ENV=test, Apollo Server would stop itself on SIGTERM and re-raise it.
    const analytics = await launch({ name: 'analytics', main: 'subgraphs/analytics/main.ts', env: { ...env(), NODE_ENV: 'development', LOG_LEVEL: 'silent', ANALYTICS_PORT: '0' } });
    expect(await analytics.stop()).toEqual({ code: 0, signal: null, expected: true });
  });

  it('rejects a process that exits before listening, with its name and output', async () => {
    const failing = launch({ name: 'bad stripe', main: 'sandbox/stripe/main.ts', env: { ...env(), STRIPE_PORT: 'not-a-port' } });
    await expect(failing).rejects.toThrow(/bad stripe exited before listening \(code 1\)[\s\S]*STRIPE_PORT="not-a-port"/);
  });
});
