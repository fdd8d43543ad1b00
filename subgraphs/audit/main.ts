/** Runs the audit subgraph on its own: `node subgraphs/audit/main.ts`. */
import { runSubgraph } from '../kit/run.ts';
import { auditSubgraph } from './index.ts';

await runSubgraph(auditSubgraph);
