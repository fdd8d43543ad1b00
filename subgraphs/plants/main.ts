/** Runs the plants subgraph on its own: `node subgraphs/plants/main.ts`. */
import { runSubgraph } from '../kit/run.ts';
import { SUBGRAPHS } from '../registry.ts';

await runSubgraph(SUBGRAPHS.find((entry) => entry.name === 'plants')!);
