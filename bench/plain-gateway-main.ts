/** Runs the plain comparison gateway on its own: `node bench/plain-gateway-main.ts` (BENCH_GATEWAY_PORT, 0: a free one). */
import { loadSettings } from '../config/settings.ts';
import { stopOnSignal } from '../kit/lifecycle.ts';
import { startPlainGateway } from './plain-gateway.ts';
import { subgraphCredential } from './subgraph-credential.ts';
import { supergraphAt } from './supergraph-at.ts';

const settings = loadSettings();
const gateway = await startPlainGateway({ supergraphSdl: supergraphAt(settings), credential: subgraphCredential(settings), port: Number(process.env.BENCH_GATEWAY_PORT ?? 0) });
stopOnSignal(() => gateway.close());
console.log(`plain gateway listening on ${gateway.url}`);
