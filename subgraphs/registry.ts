/**
 * Every subgraph, in one list: composition, `npm start` and the tests read it. Adding a
 * subgraph means adding its folder and one line here.
 */
import { fileURLToPath } from 'node:url';
import type { SubgraphEntry } from './kit/subgraph.ts';
import { createAnalyticsSubgraph } from './analytics/index.ts';
import { createAuditSubgraph } from './audit/index.ts';
import { createBankingSubgraph } from './banking/index.ts';
import { createEmailStatsSubgraph } from './email-stats/index.ts';
import { createPaymentsSubgraph } from './payments/index.ts';
import { createPlantsSubgraph } from './plants/index.ts';

const schemaOf = (folder: string) => fileURLToPath(new URL(`./${folder}/schema.graphql`, import.meta.url));

export const SUBGRAPHS: readonly SubgraphEntry[] = [
  { name: 'plants', schemaFile: schemaOf('plants'), port: (s) => s.ports.plants, create: createPlantsSubgraph },
  { name: 'payments', schemaFile: schemaOf('payments'), port: (s) => s.ports.payments, create: createPaymentsSubgraph },
  { name: 'email-stats', schemaFile: schemaOf('email-stats'), port: (s) => s.ports.emailStats, create: createEmailStatsSubgraph },
  { name: 'banking', schemaFile: schemaOf('banking'), port: (s) => s.ports.banking, create: createBankingSubgraph },
  { name: 'audit', schemaFile: schemaOf('audit'), port: (s) => s.ports.audit, create: createAuditSubgraph },
  { name: 'analytics', schemaFile: schemaOf('analytics'), port: (s) => s.ports.analytics, create: createAnalyticsSubgraph },
];
