/** Runs the banking subgraph on its own: `node subgraphs/banking/main.ts`. */
import { runSubgraph } from '../kit/run.ts';
import { bankingSubgraph } from './index.ts';

await runSubgraph(bankingSubgraph);
