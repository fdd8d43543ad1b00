/**
 * Plants: pages of 50 with status, site, capacity and operator contact (masked by the
 * gateway unless the role has pii:read), a status filter, and a plant's detail on click.
 */
import { useEffect, useState } from 'react';
import plantsDashboard from '../../../schema/operations/plants-dashboard.graphql';
import { useOperation } from '../use-operation.ts';
import { Widget } from '../Widget.tsx';
import { formatTime } from '../format.ts';
import type { PlantSummary } from './plant.ts';
import { PlantDetail } from './PlantDetail.tsx';

const REFRESH_MS = 30_000;
const STATUSES = ['ONLINE', 'DEGRADED', 'OFFLINE', 'MAINTENANCE'] as const;

export interface PlantsAnswer {
  plantApiStatus: { up: boolean; banner: { message: string; since: string } | null };
  plants: {
    totalCount: number;
    /** A node is null (with an error) when that listed plant could not be fetched. */
    edges: { cursor: string; node: PlantSummary | null }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}

/** `changes` counts downtime alerts received: each one refreshes the page shown. */
export function PlantsWidget({ token, changes }: { token: string; changes: number }) {
  const [status, setStatus] = useState<string>('');
  // Cursors of the pages before the one shown: "previous" pops one.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<string | undefined>();
  const after = cursors[cursors.length - 1] ?? null;
  const state = useOperation<PlantsAnswer>(plantsDashboard, { status: status || null, after }, { token, refreshMs: REFRESH_MS, required: (d) => d.plants });
  const page = cursors.length;
  const { refresh } = state;
  // An alert changed what this shows (a status, or the data going stale or live): show it now.
  useEffect(() => {
    if (changes > 0) refresh();
  }, [changes, refresh]);

  const controls = (
    <>
      <label>
        Status{' '}
        <select
          name="status"
          value={status}
          onChange={(event) => {
            setStatus(event.target.value);
            setCursors([null]);
          }}
        >
          <option value="">all</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={page === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
        ← Previous
      </button>
      <button
        type="button"
        disabled={!state.data?.plants?.pageInfo.hasNextPage}
        onClick={() => {
          const next = state.data?.plants?.pageInfo.endCursor;
          if (next) setCursors((c) => [...c, next]);
        }}
      >
        Next →
      </button>
    </>
  );

  return (
    <Widget
      id="plants"
      title="Plants"
      state={state}
      refreshMs={REFRESH_MS}
      isEmpty={(d) => (d.plants?.edges.length ?? 0) === 0}
      emptyText="No plants match this filter."
      staleSince={(d) => (d.plantApiStatus.up ? undefined : formatTime(d.plantApiStatus.banner?.since))}
      controls={controls}
    >
      {(d) => (
        <>
          <p className="widget-summary">
            Page {page}: {(page - 1) * 50 + 1}–{(page - 1) * 50 + (d.plants?.edges.length ?? 0)} of {d.plants?.totalCount ?? 0} plants
          </p>
          <div className="table-scroll">
            <table className="plants-table">
              <thead>
                <tr>
                  <th>Plant</th>
                  <th>Site</th>
                  <th>Status</th>
                  <th className="number">Capacity (MW)</th>
                  <th>Operator</th>
                  <th>Email</th>
                  <th>Phone</th>
                </tr>
              </thead>
              <tbody>
                {d.plants?.edges.map(({ cursor, node }) =>
                  node === null ? (
                    <tr key={cursor} className="unavailable">
                      <td colSpan={7}>This plant could not be loaded.</td>
                    </tr>
                  ) : (
                  <tr key={node.id} data-plant={node.id} className={node.id === selected ? 'selected' : ''} onClick={() => setSelected(node.id)}>
                    <td>
                      <button type="button" className="link" onClick={() => setSelected(node.id)}>
                        {node.name}
                      </button>
                    </td>
                    <td>{node.site}</td>
                    <td>
                      <span className={`status status-${node.status.toLowerCase()}`}>{node.status}</span>
                    </td>
                    <td className="number">{node.capacityMw.toFixed(1)}</td>
                    <td>{node.operator?.name ?? '–'}</td>
                    <td className="contact">{node.operator?.email ?? '–'}</td>
                    <td className="contact">{node.operator?.phone ?? '–'}</td>
                  </tr>
                  ),
                )}
              </tbody>
            </table>
          </div>
          {selected ? <PlantDetail token={token} id={selected} onClose={() => setSelected(undefined)} /> : null}
        </>
      )}
    </Widget>
  );
}
