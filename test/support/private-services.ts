/**
 * Redis and PostgreSQL servers of a test's own, on free ports, that the test may stop and
 * start again: outages are injected for real, and the machine's shared services are never
 * touched. Redis keeps nothing on disk, so a restarted one comes back empty.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../scripts/free-port.ts';
import { until } from './eventually.ts';
import { removeDir } from './temp-dir.ts';

const run = promisify(execFile);

export { freePort };

export interface PrivateServer {
  readonly url: string;
  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered, data is kept. */
  pause(): void;
  /** Lets a paused server answer again. */
  resume(): void;
  /** Stops the server at once (SIGKILL for Redis: what it held in memory is gone). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const ping = () => run('redis-cli', ['-p', String(port), 'ping']).then(({ stdout }) => stdout.trim() === 'PONG', () => false);
  const server: PrivateServer = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await until(ping, { timeoutMs: 10_000, describe: () => `redis-server on port ${port}` });
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async close() {
      server.resume();
      await server.stop();
    },
  };
  await server.start();
  return server;
}

/** A PostgreSQL cluster of the test's own (initdb into a temporary folder), trust auth, database `test`. */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'fil-pg-'));
  const data = path.join(dir, 'data');
  // PostgreSQL refuses to run as root (as CI does): its own tools run as the postgres user then.
  const asOwner = (command: string, args: string[]) => (process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args));
  if (process.getuid?.() === 0) await run('chown', ['postgres', dir]);
  await asOwner('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
  const pgCtl = (...args: string[]) => asOwner('pg_ctl', ['-D', data, '-w', '-s', ...args]);
  const server: PrivateServer = {
    url: `postgres://postgres@127.0.0.1:${port}/test`,
    async start() {
      await pgCtl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', path.join(dir, 'log'), 'start');
    },
    async stop() {
      await pgCtl('-m', 'immediate', 'stop').catch(() => undefined);
    },
    pause() {
      throw new Error('pausing is for Redis only');
    },
    resume() {},
    async close() {
      await server.stop();
      await removeDir(dir);
    },
  };
  await server.start();
  await run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'test']);
  return server;
}
