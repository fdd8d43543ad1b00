/** Runs one stand-in sandbox as its own process (its main.ts), until SIGINT or SIGTERM. */
import { loadSettings } from '../../config/settings.ts';
import { readSubgraphSettings } from '../../config/subgraph-settings.ts';
import { stopOnSignal } from '../../kit/lifecycle.ts';
import type { RunningSandbox } from './sandbox-server.ts';
import type { StandIn } from './stand-in.ts';

export async function runStandIn<TSettings, TRunning extends RunningSandbox>(standIn: StandIn<TSettings, TRunning>, describe?: (running: TRunning) => string): Promise<void> {
  const settings = loadSettings();
  const config = readSubgraphSettings(standIn.subgraph, settings).values;
  const running = await standIn.start(config, { host: settings.host, port: standIn.port(config) });
  // Before the listening line: a launcher may stop it as soon as it reads that line.
  stopOnSignal(() => running.close());
  console.log(`${standIn.title} sandbox listening on ${running.url}${describe ? ` (${describe(running)})` : ''}`);
}
