/** Runs the payments subgraph on its own: `node subgraphs/payments/main.ts`. */
import { runSubgraph } from '../kit/run.ts';
import { SUBGRAPHS } from '../registry.ts';

await runSubgraph(SUBGRAPHS.find((entry) => entry.name === 'payments')!);
