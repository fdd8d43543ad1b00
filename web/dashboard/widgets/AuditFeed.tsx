/** The audit feed (AUDITOR, ADMIN: audit:read): the newest events and whether the hash chain holds. */
import { useState } from 'react';
import auditFeed from '../../../schema/operations/audit-feed.graphql';
import { formatTime } from '../format.ts';
import { useOperation } from '../use-operation.ts';
import { Widget } from '../Widget.tsx';

const REFRESH_MS = 30_000;
const TYPES = ['UPSTREAM_ERROR', 'UPSTREAM_DOWN', 'UPSTREAM_RESTORED', 'AUTH_FAILURE', 'FORBIDDEN', 'SENSITIVE_READ', 'MUTATION', 'VALIDATION', 'WEBHOOK_REJECTED', 'PLANT_STATUS_CHANGED'];

interface AuditAnswer {
  auditChainStatus: { valid: boolean; length: number; brokenAt: string | null } | null;
  auditEvents: {
    totalCount: number;
    edges: { node: { id: string; at: string; type: string; actor: string; service: string; entityType: string | null; entityId: string | null; action: string; outcome: string } }[];
  } | null;
}

export function AuditFeed({ token }: { token: string }) {
  const [type, setType] = useState('');
  const state = useOperation<AuditAnswer>(auditFeed, { first: 15, type: type || null }, { token, refreshMs: REFRESH_MS, required: (d) => d.auditEvents });
  const controls = (
    <label>
      Type{' '}
      <select name="type" value={type} onChange={(event) => setType(event.target.value)}>
        <option value="">all</option>
        {TYPES.map((t) => (
          <option key={t} value={t}>
            {t.toLowerCase().replace(/_/g, ' ')}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Widget id="audit" title="Audit feed" state={state} refreshMs={REFRESH_MS} isEmpty={(d) => (d.auditEvents?.edges.length ?? 0) === 0} emptyText="No audit events yet." controls={controls}>
      {(d) => (
        <>
          <p className="widget-summary">
            {d.auditEvents?.totalCount ?? 0} events ·{' '}
            {d.auditChainStatus ? (d.auditChainStatus.valid ? `hash chain intact (${d.auditChainStatus.length} rows)` : `hash chain broken at ${d.auditChainStatus.brokenAt}`) : 'chain status unknown'}
          </p>
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Type</th>
                <th>Actor</th>
                <th>Action</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {d.auditEvents?.edges.map(({ node }) => (
                <tr key={node.id}>
                  <td>{formatTime(node.at)}</td>
                  <td>{node.type}</td>
                  <td>{node.actor}</td>
                  <td>
                    {node.action}
                    {node.entityId ? ` (${node.entityType ?? ''} ${node.entityId})` : ''}
                  </td>
                  <td>{node.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Widget>
  );
}
