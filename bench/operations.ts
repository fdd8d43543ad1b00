/**
 * What the bench sends: the dashboard widgets' operations (the trusted documents of
 * schema/operations/, each with the variables and role a widget uses) and the
 * plants-with-audit-trails query (plants and audit subgraphs in one answer).
 *
 * Our gateway gets a trusted document the way a widget sends it, by its sha256 alone;
 * the other gateways, which do not know our registered documents, get its text. Both are
 * the same operation over the same subgraphs.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Role } from '../kit/roles.ts';

export interface Operation {
  /** The file name under schema/operations/, or the bench's own name. */
  readonly name: string;
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly role: Role;
  /** A registered document: our gateway is sent only its hash. */
  readonly trusted: boolean;
}

/** The JSON body of one request, as a gateway of that kind is sent it. */
export function requestBody(operation: Operation, byHash: boolean): string {
  if (byHash && operation.trusted) {
    const sha256Hash = createHash('sha256').update(operation.query).digest('hex');
    return JSON.stringify({ variables: operation.variables, extensions: { persistedQuery: { version: 1, sha256Hash } } });
  }
  return JSON.stringify({ query: operation.query, variables: operation.variables });
}

const trusted = (name: string, role: Role, variables: Record<string, unknown> = {}): Operation => ({
  name,
  query: readFileSync(new URL(`../schema/operations/${name}.graphql`, import.meta.url), 'utf8'),
  variables,
  role,
  trusted: true,
});

/** The widgets' read operations, each as its widget calls it. */
export const WIDGET_OPERATIONS: readonly Operation[] = [
  trusted('plants-dashboard', 'VIEWER'),
  trusted('plant-detail', 'VIEWER', { id: 'plant-042' }),
  trusted('plant-api-status', 'VIEWER'),
  trusted('payments-overview', 'VIEWER'),
  trusted('email-health', 'VIEWER', { from: '2026-10-01', to: '2026-10-31' }),
  trusted('banking-account-overview', 'ANALYST', { accountId: 'acc-007', institutionId: 'inst-001' }),
];

/** The same operations sent by an administrator: nothing masked, every sensitive read audited. */
export const ADMIN_WIDGET_OPERATIONS: readonly Operation[] = WIDGET_OPERATIONS.map((operation) => ({ ...operation, role: 'ADMIN' }));

/** Two subgraphs per answer: a page of plants, each with its newest audit events. */
export const PLANTS_WITH_AUDIT_TRAILS: Operation = {
  name: 'plants-with-audit-trails',
  query: `query PlantsWithAuditTrails {
  plants(first: 20) {
    totalCount
    edges {
      node {
        id
        name
        status
        operator { name email }
        auditTrail(first: 5) { totalCount edges { node { id at type service action outcome } } }
      }
    }
  }
}`,
  variables: {},
  role: 'AUDITOR',
  trusted: false,
};
