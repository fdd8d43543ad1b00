/** Resolvers of the audit subgraph: the log, its chain check, reports and entity trails. */
import type { AuditEvent, AuditEventType } from '../../kit/audit-event.ts';
import type { SubgraphContext } from '../kit/context.ts';
import { badUserInput } from '../../kit/errors.ts';
import { pageSize } from '../kit/pagination.ts';
import type { AuditLoaders } from './loaders.ts';
import type { AuditReader } from './connector.ts';
import type { AuditEventPage, AuditReportKind } from './store/index.ts';

type Context = SubgraphContext<AuditLoaders>;

/** Entities of other subgraphs that this one extends with `auditTrail`. */
export const AUDITED_ENTITIES = ['Plant', 'Account', 'Customer', 'Charge'] as const;

interface FilterInput {
  type?: AuditEventType | null;
  actor?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  from?: string | null;
  to?: string | null;
}

export function auditResolvers(store: AuditReader) {
  const trailResolvers = Object.fromEntries(
    AUDITED_ENTITIES.map((entityType) => [
      entityType,
      {
        __resolveReference: (reference: { id: string }) => reference,
        async auditTrail(entity: { id: string }, args: { first?: number | null; after?: string | null }, { loaders }: Context) {
          const first = pageSize(args.first ?? 20);
          const page = args.after
            ? await asUserInput(() => store.list({ filter: { entityType, entityId: entity.id }, first, after: args.after }))
            : await loaders.trail.load({ entityType, entityId: entity.id, first });
          return toConnection(page);
        },
      },
    ]),
  );

  return {
    Query: {
      async auditEvents(_: unknown, args: { filter?: FilterInput | null; first?: number | null; after?: string | null }) {
        const first = pageSize(args.first ?? 50);
        const filter = Object.fromEntries(Object.entries(args.filter ?? {}).filter(([, value]) => value !== null && value !== undefined));
        return toConnection(await asUserInput(() => store.list({ filter, first, after: args.after ?? null })));
      },
      auditChainStatus: () => store.verifyChain(),
      async complianceReport(_: unknown, args: { kind: AuditReportKind; from: string; to: string }) {
        const from = Date.parse(args.from);
        const to = Date.parse(args.to);
        if (Number.isNaN(from) || Number.isNaN(to)) throw badUserInput('from and to must be ISO 8601 date-times.', Number.isNaN(from) ? 'from' : 'to');
        if (from > to) throw badUserInput('from must not be after to.', 'from');
        return store.report(args.kind, args.from, args.to);
      },
    },
    AuditEvent: {
      details: (event: AuditEvent) => JSON.stringify(event.details),
    },
    ...trailResolvers,
  };
}

/** The store's RangeErrors are bad input (a foreign cursor, an unreadable instant). */
async function asUserInput<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RangeError) throw badUserInput(error.message);
    throw error;
  }
}

function toConnection(page: AuditEventPage) {
  return {
    edges: page.events.map((node, i) => ({ cursor: page.cursors[i]!, node })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}
