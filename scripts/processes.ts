/**
 * Runs a service entry point (`gateway/main.ts`, `subgraphs/<name>/main.ts`,
 * `sandbox/<api>/main.ts`) as a child process on the pinned Node: started with the
 * environment it is given, ready once it prints its "listening on <url>" line, stopped with
 * SIGTERM (SIGKILL if it outstays the grace), killed with SIGKILL, and reported when it exits
 * without being asked to. The cluster, the tests and the bench launch processes this one way.
 * Every main handles SIGTERM before it prints that line, so a stop may follow it at once.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../config/read-env.ts';
import { onProcessExit } from '../kit/exit-hooks.ts';

/** How a process ended; `expected` when stop() or kill() asked for it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly expected: boolean;
}

export interface LaunchOptions {
  /** Names the process in messages (`gateway-1`, `plants`). */
  name: string;
  /** The entry point: relative to the repository root (`gateway/main.ts`) or absolute. */
  main: string;
  /** The child's whole environment (nothing of this process's is added). */
  env: Env;
  /** Node's own flags for it (a heap limit), before the entry point. */
  nodeArgs?: readonly string[];
  /** How long it may take to print its listening line (a busy machine starting many at once). @default 120_000 */
  startTimeoutMs?: number;
  /** Each line it writes, stdout and stderr alike (default: kept only for error messages). */
  onLine?: (line: string) => void;
  /** Called once when it exits after starting without stop() or kill() having been called. */
  onUnexpectedExit?: (exit: ProcessExit) => void;
}

export interface ServiceProcess {
  readonly name: string;
  /** What its listening line announced (for a GraphQL service, its /graphql URL). */
  readonly url: string;
  readonly pid: number;
  /** Settles when the process has exited, for whatever reason. */
  readonly exited: Promise<ProcessExit>;
  running(): boolean;
  /** Its last lines of output, for error messages. */
  recentOutput(): string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs` (default 10 s); resolves once it has exited. */
  stop(graceMs?: number): Promise<ProcessExit>;
  /** SIGKILL at once (a crash, for tests); resolves once it has exited. */
  kill(): Promise<ProcessExit>;
}

export const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PINNED_NODE = path.join(REPOSITORY_ROOT, 'node_modules', '.bin', 'node');
/** The pinned Node when installed (a checkout), else the one running (an image without dev dependencies). */
const NODE = existsSync(PINNED_NODE) ? PINNED_NODE : process.execPath;
const LISTENING = /\blistening on (\S+)/;
const KEPT_LINES = 200;

/** Children still running, killed if this process exits without stopping them (no orphans). */
const live = new Set<() => void>();
onProcessExit(() => {
  for (const killNow of live) killNow();
});

/** Starts the entry point and resolves once it listens; rejects (and kills it) if it exits or times out first. */
export async function launch(options: LaunchOptions): Promise<ServiceProcess> {
  const { name, env, startTimeoutMs = 120_000, onLine, onUnexpectedExit } = options;
  const main = path.resolve(REPOSITORY_ROOT, options.main);
  const child = spawn(NODE, [...(options.nodeArgs ?? []), main], { cwd: REPOSITORY_ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  let expected = false;
  let started = false;
  let resolveUrl: (url: string) => void = () => undefined;
  const announced = new Promise<string>((resolve) => (resolveUrl = resolve));

  const killNow = () => void child.kill('SIGKILL');
  live.add(killNow);
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(killNow);
      const exit = { code, signal, expected };
      if (started && !expected) onUnexpectedExit?.(exit);
      resolve(exit);
    });
  });

  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > KEPT_LINES) tail.shift();
        onLine?.(line);
        // Log lines are JSON objects; the listening line is the plain one every main prints.
        const match = line.startsWith('{') ? null : LISTENING.exec(line);
        if (match?.[1]) resolveUrl(match[1]);
      }
    });
  }

  const recentOutput = () => tail.join('\n');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not say where it listens within ${startTimeoutMs} ms`)), startTimeoutMs);
  });
  const exitedEarly = exited.then((exit) => {
    throw new Error(`${name} exited before listening (${describeExit(exit)})`);
  });
  exitedEarly.catch(() => undefined); // an exit after the start is `exited`'s business
  let url: string;
  try {
    url = await Promise.race([announced, timedOut, exitedEarly]);
  } catch (error) {
    expected = true;
    killNow();
    await exited;
    throw new Error(`${(error as Error).message}; its last output:\n${recentOutput()}`);
  } finally {
    clearTimeout(timer);
  }
  started = true;

  async function end(signal: NodeJS.Signals, graceMs: number): Promise<ProcessExit> {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    expected = true;
    child.kill(signal);
    const force = setTimeout(killNow, graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(force);
    }
  }

  return {
    name,
    url,
    pid: child.pid!,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    recentOutput,
    stop: (graceMs = 10_000) => end('SIGTERM', graceMs),
    kill: () => end('SIGKILL', 0),
  };
}

/** "code 1" or "signal SIGKILL", for messages. */
export function describeExit(exit: Pick<ProcessExit, 'code' | 'signal'>): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}
