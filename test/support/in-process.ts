/**
 * A subgraph executed in process, without HTTP: for resolvers and permissions, where no
 * network boundary is under test. Each call runs as a caller of the given role.
 */
import { graphql, type ExecutionResult } from 'graphql';
import type { AuditEventInput } from '../../kit/audit-event.ts';
import type { Caller } from '../../kit/auth.ts';
import { RequestAudit } from '../../kit/request-audit.ts';
import { scopesFor, type Role } from '../../kit/roles.ts';
import { subgraphSchema, type SubgraphDefinition, type SubgraphEntry } from '../../subgraphs/kit/subgraph.ts';

export interface InProcessSubgraph {
  /** Runs one operation as a caller with this role; `audited` receives what it audits. */
  run(role: Role, source: string, options?: { variables?: Record<string, unknown>; audited?: AuditEventInput[] }): Promise<ExecutionResult>;
}

export function inProcess<TLoaders>(entry: SubgraphEntry<TLoaders>, definition: SubgraphDefinition<TLoaders>): InProcessSubgraph {
  const schema = subgraphSchema(entry, definition);
  return {
    async run(role, source, { variables, audited = [] } = {}) {
      const caller: Caller = { subject: `user-${role.toLowerCase()}`, roles: [role], scopes: scopesFor([role]), plan: 'basic', expiresAt: 0 };
      const audit = { emit: (event: AuditEventInput) => void audited.push(event) };
      const contextValue = {
        caller,
        service: entry.name,
        requestId: 'test',
        audit,
        loaders: definition.createLoaders(caller),
        audited: new RequestAudit(audit, caller.subject, entry.name),
      };
      const result = await graphql({ schema, source, contextValue, ...(variables ? { variableValues: variables } : {}) });
      await contextValue.audited.end();
      return result;
    },
  };
}
