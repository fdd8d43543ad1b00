/** Runs one subgraph of the registry as its own process, until SIGINT or SIGTERM. */
import { loadSettings } from '../../config/settings.ts';
import { stopOnSignal } from '../../kit/lifecycle.ts';
import { configureLogging } from '../../kit/logger.ts';
import { closeSharedRedis } from '../../kit/redis.ts';
import { startSubgraph, type SubgraphEntry } from './subgraph.ts';

export async function runSubgraph(entry: SubgraphEntry): Promise<void> {
  const settings = loadSettings();
  configureLogging({ level: settings.logLevel, format: settings.logFormat });
  const running = await startSubgraph(entry, { settings });
  console.log(`subgraph ${entry.name} listening on ${running.url}`);
  stopOnSignal(async () => {
    await running.close();
    await closeSharedRedis();
  });
}
