/** Runs the audit subgraph on its own: `node subgraphs/audit/main.ts`. */
import { runSubgraph } from '../kit/run.ts';
import { SUBGRAPHS } from '../registry.ts';

await runSubgraph(SUBGRAPHS.find((entry) => entry.name === 'audit')!);
