/**
 * The dashboard: sign-in (a role switch outside production, the OIDC login in production),
 * the downtime banner, and the widgets the role may use. Each widget is its own component
 * with its own operation, so one that fails leaves the others as they are.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Role } from '../../kit/roles.ts';
import { loadWebConfig, type WebConfig } from '../shared/web-config.ts';
import { mayUse } from './token-claims.ts';
import { useSession, type RoleSwitch } from './use-session.ts';
import { AuditFeed } from './widgets/AuditFeed.tsx';
import { BankAccountCheck } from './widgets/BankAccountCheck.tsx';
import { DowntimeBanner } from './widgets/DowntimeBanner.tsx';
import { EmailHealthWidget } from './widgets/EmailHealthWidget.tsx';
import { PaymentsWidget } from './widgets/PaymentsWidget.tsx';
import { PlantsWidget } from './widgets/PlantsWidget.tsx';

export function App() {
  const [config, setConfig] = useState<WebConfig | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    loadWebConfig().then(setConfig, (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
  }, []);
  if (problem) return <p className="page-problem">{problem}</p>;
  if (!config) return <p className="page-loading">Loading…</p>;
  return <Dashboard config={config} />;
}

function Dashboard({ config }: { config: WebConfig }) {
  const { session, roleSwitch } = useSession(config);
  const [plantChanges, setPlantChanges] = useState(0);
  const onPlantChange = useCallback(() => setPlantChanges((n) => n + 1), []);

  return (
    <div className="dashboard">
      <header className="page-header">
        <h1>Operations dashboard</h1>
        {roleSwitch ? <RoleSelect roleSwitch={roleSwitch} /> : null}
        {session.kind === 'signed-in' ? (
          <span className="who" data-subject={session.claims.subject}>
            {session.claims.subject} {session.claims.roles.length ? `(${session.claims.roles.join(', ')})` : ''}
            {session.signOut ? (
              <button type="button" onClick={session.signOut}>
                Sign out
              </button>
            ) : null}
          </span>
        ) : null}
        <a className="explorer-link" href="/explorer">
          Explorer
        </a>
      </header>
      {session.kind === 'starting' ? <p className="page-loading">Signing in…</p> : null}
      {session.kind === 'signed-out' ? (
        <div className="page-problem">
          <p>{session.reason}</p>
          {session.signIn ? (
            <button type="button" onClick={session.signIn}>
              Sign in
            </button>
          ) : null}
        </div>
      ) : null}
      {session.kind === 'signed-in' ? (
        // A new token (another role) starts every widget afresh.
        <main key={session.token}>
          {mayUse(session.claims, 'plants:read') ? <DowntimeBanner token={session.token} onPlantChange={onPlantChange} /> : null}
          <div className="widgets">
            {mayUse(session.claims, 'plants:read') ? <PlantsWidget token={session.token} changes={plantChanges} /> : null}
            {mayUse(session.claims, 'payments:read') ? <PaymentsWidget token={session.token} /> : null}
            {mayUse(session.claims, 'email:read') ? <EmailHealthWidget token={session.token} /> : null}
            {mayUse(session.claims, 'banking:validate') ? <BankAccountCheck token={session.token} /> : null}
            {mayUse(session.claims, 'audit:read') ? <AuditFeed token={session.token} /> : null}
          </div>
        </main>
      ) : null}
    </div>
  );
}

function RoleSelect({ roleSwitch }: { roleSwitch: RoleSwitch }) {
  return (
    <label className="role-switch" title="Outside production: a dev token for each role, from the sandbox identity provider">
      Role{' '}
      <select name="role" value={roleSwitch.role} onChange={(event) => roleSwitch.choose(event.target.value as Role)}>
        {roleSwitch.roles.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
    </label>
  );
}
