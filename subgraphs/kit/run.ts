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
  stopOnSignal(async () => {
    await running.close();
    await closeSharedRedis();
  });
  // Announced once a stop signal is handled: whoever waits for this line may send one at once.
  console.log(`subgraph ${entry.name} listening on ${running.url}`);
}
