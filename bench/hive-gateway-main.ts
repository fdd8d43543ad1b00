/** Runs Hive Gateway over this run's subgraphs on its own: `node bench/hive-gateway-main.ts` (BENCH_GATEWAY_PORT, 0: a free one). */
import { loadSettings } from '../config/settings.ts';
import { stopOnSignal } from '../kit/lifecycle.ts';
import { startHiveGateway } from './hive-gateway.ts';
import { subgraphCredential } from './subgraph-credential.ts';
import { supergraphAt } from './supergraph-at.ts';

const settings = loadSettings();
const gateway = await startHiveGateway({ supergraphSdl: supergraphAt(settings), credential: subgraphCredential(settings), port: Number(process.env.BENCH_GATEWAY_PORT ?? 0) });
stopOnSignal(() => gateway.close());
console.log(`hive gateway listening on ${gateway.url}`);
