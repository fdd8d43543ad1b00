/** The bank account check (OPERATOR, ADMIN: banking:validate): may this account be used? Audited at the gateway. */
import { useState, type FormEvent } from 'react';
import bankingAccountCheck from '../../../schema/operations/banking-account-check.graphql';
import { useOperation } from '../use-operation.ts';
import { Widget } from '../Widget.tsx';

interface CheckAnswer {
  validateAccount: {
    valid: boolean;
    errors: { code: string; message: string }[];
    account: { id: string; status: string; accountNumber: string; institution: { id: string; name: string; status: string } | null } | null;
  } | null;
}

export function BankAccountCheck({ token }: { token: string }) {
  const [form, setForm] = useState({ accountId: 'acc-001', institutionId: 'inst-001' });
  const [asked, setAsked] = useState<typeof form | undefined>();
  const state = useOperation<CheckAnswer>(bankingAccountCheck, asked ?? form, { token, refreshMs: 0, skip: !asked, required: (d) => d.validateAccount });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (asked && asked.accountId === form.accountId && asked.institutionId === form.institutionId) state.refresh();
    else setAsked({ ...form });
  };
  const controls = (
    <form className="inline-form" onSubmit={submit}>
      <label>
        Account <input name="accountId" value={form.accountId} onChange={(e) => setForm({ ...form, accountId: e.target.value })} size={9} />
      </label>
      <label>
        Institution <input name="institutionId" value={form.institutionId} onChange={(e) => setForm({ ...form, institutionId: e.target.value })} size={9} />
      </label>
      <button type="submit">Check</button>
    </form>
  );
  return (
    <Widget id="bank-check" title="Bank account check" state={state} isEmpty={() => false} emptyText="" idleText="Enter an account and its institution, then Check." controls={controls}>
      {(d) => {
        const result = d.validateAccount!;
        return (
          <div className={`check-result ${result.valid ? 'valid' : 'invalid'}`}>
            <p>
              <strong>{result.valid ? 'Valid' : 'Not valid'}</strong>
              {result.account ? ` · ${result.account.id} ${result.account.status.toLowerCase()} · ${result.account.accountNumber} · ${result.account.institution?.name ?? ''}` : ''}
            </p>
            {result.errors.length > 0 ? (
              <ul>
                {result.errors.map((error) => (
                  <li key={error.code}>
                    {error.code}: {error.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        );
      }}
    </Widget>
  );
}
