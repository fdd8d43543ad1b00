/** Runs the plants subgraph on its own: `node subgraphs/plants/main.ts`. */
import { runSubgraph } from '../kit/run.ts';
import { plantsSubgraph } from './index.ts';

await runSubgraph(plantsSubgraph);
