/** Runs the email-stats subgraph on its own: `node subgraphs/email-stats/main.ts`. */
import { runSubgraph } from '../kit/run.ts';
import { emailStatsSubgraph } from './index.ts';

await runSubgraph(emailStatsSubgraph);
