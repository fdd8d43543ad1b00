/**
 * The alert fan-out figure alone: one plant alert to BENCH_SUBSCRIBERS (500) VIEWER
 * subscribers, each resolved through the federated graph (bench/alerts.ts measures it).
 * `node bench/alert-fan-out.ts`
 */
import { setLogLevel } from '../kit/logger.ts';
import { measureAlerts } from './alerts.ts';

setLogLevel('error');
const subscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 500);
for (let round = 0; round < 3; round += 1) {
  const figures = await measureAlerts({ rounds: 0, subscribers });
  console.log(`plant alert to ${figures.subscribers} subscribers: ${figures.fanOutMs.toFixed(0)} ms until the last one has it`);
}
