/** One plant's detail: its data and its latest output readings as a chart. */
import plantDetail from '../../../schema/operations/plant-detail.graphql';
import { LineChart } from '../LineChart.tsx';
import { useOperation } from '../use-operation.ts';
import { Widget } from '../Widget.tsx';
import { formatTime } from '../format.ts';
import type { PlantSummary } from './plant.ts';

const REFRESH_MS = 60_000;

interface DetailAnswer {
  plant: (PlantSummary & { readings: { totalCount: number; edges: { node: { at: string; outputMw: number; temperatureC: number | null } }[] } | null }) | null;
}

export function PlantDetail({ token, id, onClose }: { token: string; id: string; onClose: () => void }) {
  const state = useOperation<DetailAnswer>(plantDetail, { id, readings: 24 }, { token, refreshMs: REFRESH_MS, required: (d) => d.plant });
  return (
    <Widget
      id="plant-detail"
      title={`Plant ${id}`}
      state={state}
      refreshMs={REFRESH_MS}
      isEmpty={(d) => (d.plant?.readings?.edges.length ?? 0) === 0}
      emptyText="No readings in the last 24 hours."
      controls={
        <button type="button" onClick={onClose}>
          Close
        </button>
      }
    >
      {(d) => {
        const plant = d.plant!;
        const readings = plant.readings?.edges.map((edge) => edge.node) ?? [];
        return (
          <div className="plant-detail">
            <dl>
              <dt>Name</dt>
              <dd>{plant.name}</dd>
              <dt>Site</dt>
              <dd>{plant.site}</dd>
              <dt>Status</dt>
              <dd>{plant.status}</dd>
              <dt>Capacity</dt>
              <dd>{plant.capacityMw.toFixed(1)} MW</dd>
              <dt>Operator</dt>
              <dd>
                {plant.operator?.name ?? '–'} · {plant.operator?.email ?? '–'} · {plant.operator?.phone ?? '–'}
              </dd>
              <dt>Updated</dt>
              <dd>{formatTime(plant.updatedAt)}</dd>
            </dl>
            <LineChart
              label={`Output of ${plant.name}, MW`}
              times={readings.map((r) => Date.parse(r.at) / 1000)}
              series={[{ label: 'output (MW)', values: readings.map((r) => r.outputMw), color: '#2563eb' }]}
              formatValue={(v) => `${v.toFixed(0)} MW`}
            />
          </div>
        );
      }}
    </Widget>
  );
}
