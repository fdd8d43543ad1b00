/** Runs the email-stats subgraph on its own: `node subgraphs/email-stats/main.ts`. */
import { runSubgraph } from '../kit/run.ts';
import { SUBGRAPHS } from '../registry.ts';

await runSubgraph(SUBGRAPHS.find((entry) => entry.name === 'email-stats')!);
