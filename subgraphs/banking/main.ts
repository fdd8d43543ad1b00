/** Runs the banking subgraph on its own: `node subgraphs/banking/main.ts`. */
import { runSubgraph } from '../kit/run.ts';
import { SUBGRAPHS } from '../registry.ts';

await runSubgraph(SUBGRAPHS.find((entry) => entry.name === 'banking')!);
