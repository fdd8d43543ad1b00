/**
 * Every subgraph, in one list: composition, `npm start` and the tests read it. Adding a
 * subgraph means adding its folder and one line here.
 */
import type { SubgraphEntry } from './kit/subgraph.ts';
import { analyticsSubgraph } from './analytics/index.ts';
import { auditSubgraph } from './audit/index.ts';
import { bankingSubgraph } from './banking/index.ts';
import { emailStatsSubgraph } from './email-stats/index.ts';
import { paymentsSubgraph } from './payments/index.ts';
import { plantsSubgraph } from './plants/index.ts';

export const SUBGRAPHS: readonly SubgraphEntry[] = [plantsSubgraph, paymentsSubgraph, emailStatsSubgraph, bankingSubgraph, analyticsSubgraph, auditSubgraph];
