/** Payments (Stripe): the balance and the latest charges, customer contacts masked without pii:read. */
import paymentsOverview from '../../../schema/operations/payments-overview.graphql';
import { formatTime } from '../format.ts';
import { useOperation } from '../use-operation.ts';
import { Widget } from '../Widget.tsx';

// Stripe answers are cached 60 s at the gateway: refreshing faster would show nothing new.
const REFRESH_MS = 60_000;

interface Money {
  amount: number;
  currency: string;
  formatted: string;
}

interface PaymentsAnswer {
  paymentsBalance: { available: Money[]; pending: Money[] } | null;
  charges: {
    edges: {
      node: { id: string; amount: Money; status: string; created: string; description: string | null; customer: { id: string; name: string | null; email: string | null } | null };
    }[];
  } | null;
}

export function PaymentsWidget({ token }: { token: string }) {
  const state = useOperation<PaymentsAnswer>(paymentsOverview, { first: 8 }, { token, refreshMs: REFRESH_MS, required: (d) => d.paymentsBalance ?? d.charges });
  return (
    <Widget id="payments" title="Payments" state={state} refreshMs={REFRESH_MS} isEmpty={(d) => !d.paymentsBalance && (d.charges?.edges.length ?? 0) === 0} emptyText="No payments yet.">
      {(d) => (
        <>
          <div className="balances">
            <div>
              <span className="label">Available</span>
              <strong>{d.paymentsBalance?.available.map((m) => m.formatted).join(' · ') || '–'}</strong>
            </div>
            <div>
              <span className="label">Pending</span>
              <strong>{d.paymentsBalance?.pending.map((m) => m.formatted).join(' · ') || '–'}</strong>
            </div>
          </div>
          <h3>Recent charges</h3>
          {(d.charges?.edges.length ?? 0) === 0 ? (
            <p className="widget-empty">No charges.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>When</th>
                  <th className="number">Amount</th>
                  <th>Status</th>
                  <th>Customer</th>
                </tr>
              </thead>
              <tbody>
                {d.charges?.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <td>{formatTime(node.created)}</td>
                    <td className="number">{node.amount.formatted}</td>
                    <td>{node.status.toLowerCase()}</td>
                    <td className="contact">
                      {node.customer?.name ?? '–'} {node.customer?.email ? `<${node.customer.email}>` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Widget>
  );
}
