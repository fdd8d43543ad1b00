/**
 * A gateway replica in a process of its own (`gateway/main.ts`), joined to a test stack
 * through its environment: what crosses processes (Redis pub/sub, shared counters) is
 * tested across a real process boundary.
 */
import type { Env } from '../../config/read-env.ts';
import { launch } from '../../scripts/processes.ts';

export interface GatewayProcess {
  readonly url: string;
  /** Stops it with SIGTERM and waits for it to exit. */
  stop(): Promise<void>;
}

export async function startGatewayProcess(env: Env): Promise<GatewayProcess> {
  const child = await launch({ name: 'gateway process', main: 'gateway/main.ts', env: { ...env, GATEWAY_PORT: '0' } });
  return {
    url: child.url,
    async stop() {
      await child.stop();
    },
  };
}
