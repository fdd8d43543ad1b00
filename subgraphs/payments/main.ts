/** Runs the payments subgraph on its own: `node subgraphs/payments/main.ts`. */
import { runSubgraph } from '../kit/run.ts';
import { paymentsSubgraph } from './index.ts';

await runSubgraph(paymentsSubgraph);
