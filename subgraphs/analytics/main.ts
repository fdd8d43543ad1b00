/** Runs the analytics subgraph on its own: `node subgraphs/analytics/main.ts`. */
import { runSubgraph } from '../kit/run.ts';
import { analyticsSubgraph } from './index.ts';

await runSubgraph(analyticsSubgraph);
