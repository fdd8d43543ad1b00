/**
 * A gateway replica in a process of its own (`gateway/main.ts`), joined to a test stack
 * through its environment: what crosses processes (Redis pub/sub, shared counters) is
 * tested across a real process boundary.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Env } from '../../config/read-env.ts';

export interface GatewayProcess {
  readonly url: string;
  /** Stops it with SIGTERM and waits for it to exit. */
  stop(): Promise<void>;
}

const NODE = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
const MAIN = fileURLToPath(new URL('../../gateway/main.ts', import.meta.url));

export async function startGatewayProcess(env: Env): Promise<GatewayProcess> {
  const child = spawn(NODE, [MAIN], { env: { ...env, GATEWAY_PORT: '0' } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway process did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /gateway listening on (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway process exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
