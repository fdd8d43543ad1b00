/**
 * `npm run cluster`: the topology of docker-compose.yml as local processes (see
 * scripts/cluster.ts), until Ctrl-C or SIGTERM stops them all. A child that dies is
 * announced loudly and stays down; the others keep serving, which is what the topology is
 * for (its fields null, the other replica answering). Nothing restarts silently.
 */
import { loadSettings } from '../config/settings.ts';
import { stopOnSignal } from '../kit/lifecycle.ts';
import { ClusterNeedsSharedState, startCluster, type RunningCluster } from './cluster.ts';
import { describeExit } from './processes.ts';

let cluster: RunningCluster;
try {
  loadSettings(); // a bad setting is named before anything starts
  cluster = await startCluster({
    // Children write JSON log lines to a pipe; on a terminal, one readable line each.
    env: process.stdout.isTTY && !process.env.LOG_FORMAT ? { LOG_FORMAT: 'pretty' } : {},
    onLine: (service, line) => console.log(`[${service}] ${line}`),
    onUnexpectedExit: (service, exit, recentOutput) => {
      const rule = '!'.repeat(72);
      console.error(`\n${rule}\n${service} DIED (${describeExit(exit)}) and stays down; the other services keep running.`);
      console.error(`Its last lines:\n${recentOutput.split('\n').slice(-20).join('\n')}`);
      console.error(`Ctrl-C stops the rest; npm run cluster starts everything again.\n${rule}\n`);
    },
  });
} catch (error) {
  console.error(error instanceof ClusterNeedsSharedState ? error.message : `The cluster did not start: ${(error as Error).message}`);
  process.exit(1);
}

const rows = cluster.services.map((service) => [service.name, cluster.url(service.name), `pid ${cluster.process(service.name).pid}`]);
const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
console.log('Federated integration layer, one process per service:');
for (const row of rows) console.log(`  ${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`);
console.log(`Gateway replicas: ${cluster.gatewayUrls.join(', ')} (behind one load balancer in docker-compose.yml)`);
console.log('Every service answers /health, /ready and /metrics on its own port. Get a token: npm run --silent token -- VIEWER');
console.log(`Shared state: Redis (${redacted(cluster.settings.redisUrl)}, key prefix ${cluster.settings.keyPrefix}), PostgreSQL (${redacted(cluster.settings.databaseUrl)}, schema ${cluster.settings.auditSchema})`);

const running = cluster;
stopOnSignal(async () => {
  console.log('stopping every service...');
  await running.stop();
  if (running.failures.length > 0) console.error(`Stopped. Died while running: ${running.failures.map(({ service, exit }) => `${service} (${describeExit(exit)})`).join(', ')}`);
});

/** A connection URL without its password. */
function redacted(url: string | undefined): string {
  if (!url) return '-';
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.href;
}
