/** Email health (SendGrid): delivery and open rates over a chosen range, and recent bounces. */
import { useState } from 'react';
import emailHealth from '../../../schema/operations/email-health.graphql';
import { formatPercent, formatTime, isoDay } from '../format.ts';
import { LineChart } from '../LineChart.tsx';
import { useOperation } from '../use-operation.ts';
import { Widget } from '../Widget.tsx';

// SendGrid answers are cached 5 min at the gateway, and its quota is 50 requests a minute.
const REFRESH_MS = 5 * 60_000;
const RANGES = [7, 30, 90] as const;

interface EmailAnswer {
  emailStats: { date: string; requests: number; delivered: number; bounces: number; deliveryRate: number | null; openRate: number | null }[] | null;
  emailBounces: { edges: { node: { email: string; reason: string; status: string; created: string } }[] } | null;
}

export function EmailHealthWidget({ token }: { token: string }) {
  const [days, setDays] = useState<number>(30);
  const variables = { from: isoDay(days - 1), to: isoDay(0), aggregatedBy: 'DAY', bounces: 5 };
  const state = useOperation<EmailAnswer>(emailHealth, variables, { token, refreshMs: REFRESH_MS, required: (d) => d.emailStats });
  const controls = (
    <label>
      Range{' '}
      <select name="range" value={days} onChange={(event) => setDays(Number(event.target.value))}>
        {RANGES.map((n) => (
          <option key={n} value={n}>
            last {n} days
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Widget id="email" title="Email health" state={state} refreshMs={REFRESH_MS} isEmpty={(d) => (d.emailStats?.length ?? 0) === 0} emptyText="No email sent in this range." controls={controls}>
      {(d) => {
        const stats = d.emailStats ?? [];
        const last = stats[stats.length - 1];
        return (
          <>
            <p className="widget-summary">
              Latest day: delivery {formatPercent(last?.deliveryRate)}, opens {formatPercent(last?.openRate)}
            </p>
            <LineChart
              label="Delivery and open rates per day"
              times={stats.map((s) => Date.parse(`${s.date}T00:00:00Z`) / 1000)}
              series={[
                { label: 'delivery rate', values: stats.map((s) => (s.deliveryRate == null ? null : s.deliveryRate * 100)), color: '#16a34a' },
                { label: 'open rate', values: stats.map((s) => (s.openRate == null ? null : s.openRate * 100)), color: '#9333ea' },
              ]}
              formatValue={(v) => `${v.toFixed(0)} %`}
            />
            <h3>Recent bounces</h3>
            {(d.emailBounces?.edges.length ?? 0) === 0 ? (
              <p className="widget-empty">No bounces.</p>
            ) : (
              <ul className="bounces">
                {d.emailBounces?.edges.map(({ node }) => (
                  <li key={`${node.email}-${node.created}`}>
                    <span className="contact">{node.email}</span> · {node.reason} · {formatTime(node.created)}
                  </li>
                ))}
              </ul>
            )}
          </>
        );
      }}
    </Widget>
  );
}
