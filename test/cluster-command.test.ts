/**
 * `npm run cluster` as a person runs it: refused without Redis and PostgreSQL, saying why
 * and how; otherwise a table of every service, a loud word when one dies (the rest keep
 * running, nothing restarts), and every child stopped on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createServer, connect } from 'node:net';
import { startCluster } from '../scripts/cluster.ts';
import { PORT_VARIABLES } from '../scripts/cluster-services.ts';
import { freePorts } from '../scripts/free-port.ts';
import { REPOSITORY_ROOT } from '../scripts/processes.ts';
import { STARTUP_MS } from './support/cluster.ts';
import { until } from './support/eventually.ts';
import { DATABASE_URL, REDIS_URL } from './support/services.ts';
import { removeDir } from './support/temp-dir.ts';

const NODE = path.join(REPOSITORY_ROOT, 'node_modules', '.bin', 'node');

function runCommand(env: NodeJS.ProcessEnv) {
  const child = spawn(NODE, ['scripts/start-cluster.ts'], { cwd: REPOSITORY_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output, exited };
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run cluster', () => {
  const { REDIS_URL: _redis, DATABASE_URL: _database, ...withoutSharedState } = process.env;
  let running: ChildProcess | undefined;
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    running?.kill('SIGKILL');
    for (const step of cleanup) await step();
  });

  it('refuses to start without REDIS_URL and DATABASE_URL, saying why and how', async () => {
    const { output, exited } = runCommand({ ...withoutSharedState, REDIS_URL: REDIS_URL });
    expect(await exited).toBe(1);
    expect(output.stderr).toMatch(/state they share must live outside them/);
    expect(output.stderr).toMatch(/Missing: DATABASE_URL\./);
    expect(output.stderr).toMatch(/REDIS_URL=redis:\/\/127\.0\.0\.1:6379 DATABASE_URL=postgres:\/\/\S+ npm run cluster/);
    expect(output.stdout).not.toMatch(/listening/);
  });

  it('prints every service, says loudly when one dies and keeps the rest, and stops every child on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fil-cluster-command-'));
    const schema = `cluster_command_${randomUUID().replace(/-/g, '')}`;
    cleanup.push(async () => {
      await dropSchema(schema);
      await removeDir(dataDir);
    });
    const ports = await freePorts(PORT_VARIABLES.length + 4);
    const env: NodeJS.ProcessEnv = {
      ...withoutSharedState,
      NODE_ENV: 'test',
      REDIS_URL,
      DATABASE_URL,
      KEY_PREFIX: `cluster-command-${randomUUID()}:`,
      AUDIT_SCHEMA: schema,
      DATA_DIR: dataDir,
      ...Object.fromEntries(PORT_VARIABLES.map((name, i) => [name, String(ports[i])])),
      CLUSTER_GATEWAY_PORTS: ports.slice(-4, -2).join(','),
      CLUSTER_AUDIT_PORTS: ports.slice(-2).join(','),
    };
    const { child, output, exited } = runCommand(env);
    running = child;
    await until(() => output.stdout.includes('Gateway replicas:'), { timeoutMs: STARTUP_MS, describe: () => `the table (output so far:\n${output.stdout}\n${output.stderr})` });

    const table = new Map([...output.stdout.matchAll(/^ {2}(\S+)\s+(\S+)\s+pid (\d+)$/gm)].map((match) => [match[1]!, { url: match[2]!, pid: Number(match[3]) }]));
    expect([...table.keys()]).toEqual(expect.arrayContaining(['plant-api', 'plants', 'audit-1', 'audit-2', 'gateway-1', 'gateway-2']));
    expect(table.get('gateway-2')?.url).toBe(`http://127.0.0.1:${ports.at(-3)}/graphql`);
    for (const { pid } of table.values()) expect(alive(pid)).toBe(true);

    process.kill(table.get('analytics')!.pid, 'SIGKILL');
    await until(() => output.stderr.includes('analytics DIED (signal SIGKILL) and stays down'), { describe: () => `the death announced (stderr:\n${output.stderr})` });
    for (const [name, { pid }] of table) expect([name, alive(pid)]).toEqual([name, name !== 'analytics']);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    running = undefined;
    for (const [name, { pid }] of table) expect([name, alive(pid)]).toEqual([name, false]);
    expect(output.stderr).toMatch(/Died while running: analytics \(signal SIGKILL\)/);
  }, STARTUP_MS + 60_000);

  it('leaves no process behind when one cannot start, and says which', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fil-cluster-failed-'));
    const schema = `cluster_failed_${randomUUID().replace(/-/g, '')}`;
    cleanup.push(async () => {
      await dropSchema(schema);
      await removeDir(dataDir);
    });
    const ports = await freePorts(PORT_VARIABLES.length + 4);
    // The second gateway replica's port is taken.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(ports.at(-3), '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => taken.close(() => resolve())));
    const attempt = startCluster({
      env: {
        NODE_ENV: 'test',
        REDIS_URL,
        DATABASE_URL,
        KEY_PREFIX: `cluster-failed-${randomUUID()}:`,
        AUDIT_SCHEMA: schema,
        DATA_DIR: dataDir,
        ...Object.fromEntries(PORT_VARIABLES.map((name, i) => [name, String(ports[i])])),
        CLUSTER_GATEWAY_PORTS: ports.slice(-4, -2).join(','),
        CLUSTER_AUDIT_PORTS: ports.slice(-2).join(','),
      },
    });
    await expect(attempt).rejects.toThrow(/gateway-2 exited before listening/);
    const listening = (port: number) =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
    const others = ports.filter((port) => port !== ports.at(-3));
    expect((await Promise.all(others.map(listening))).filter(Boolean)).toEqual([]);
  }, STARTUP_MS);
});
