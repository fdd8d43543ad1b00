/** Runs the analytics subgraph on its own: `node subgraphs/analytics/main.ts`. */
import { runSubgraph } from '../kit/run.ts';
import { SUBGRAPHS } from '../registry.ts';

await runSubgraph(SUBGRAPHS.find((entry) => entry.name === 'analytics')!);
