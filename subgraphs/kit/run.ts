/** Runs one subgraph of the registry as its own process, until SIGINT or SIGTERM. */
import { loadSettings } from '../../config/settings.ts';
import { stopOnSignal } from './lifecycle.ts';
import { setLogLevel } from './logger.ts';
import { closeSharedRedis } from './redis.ts';
import { startSubgraph, type SubgraphEntry } from './subgraph.ts';

export async function runSubgraph(entry: SubgraphEntry): Promise<void> {
  const settings = loadSettings();
  setLogLevel(settings.logLevel);
  const running = await startSubgraph(entry, { settings });
  console.log(`subgraph ${entry.name} listening on ${running.url}`);
  stopOnSignal(async () => {
    await running.close();
    await closeSharedRedis();
  });
}
