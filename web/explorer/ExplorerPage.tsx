import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { useEffect, useMemo, useState } from 'react';
import { fetchDevToken } from '../shared/dev-token.ts';
import { GRAPHQL_URL, SUBSCRIPTIONS_URL } from '../shared/endpoints.ts';
import { loadWebConfig } from '../shared/web-config.ts';
import './explorer.css';

const ROLE = 'ANALYST';
const FIRST_QUERY = `# The explorer runs from the gateway itself: no internet needed.
# Subscriptions (plantDowntime) go over graphql-ws.
query Status {
  plantApiStatus { up since banner { message } }
  plants(first: 3) { totalCount edges { node { id name status } } }
}
`;

type TokenState = { kind: 'loading' } | { kind: 'none'; reason: string } | { kind: 'ready'; token: string };

export function ExplorerPage() {
  const [token, setToken] = useState<TokenState>({ kind: 'loading' });
  useEffect(() => {
    loadWebConfig()
      .then(async (config) => {
        if (!config.devTokens) return setToken({ kind: 'none', reason: 'No dev token here: add an Authorization header below.' });
        const dev = await fetchDevToken(ROLE);
        setToken({ kind: 'ready', token: dev.accessToken });
      })
      .catch((error: unknown) => setToken({ kind: 'none', reason: error instanceof Error ? error.message : String(error) }));
  }, []);

  const fetcher = useMemo(() => {
    if (token.kind === 'loading') return undefined;
    const authorization = token.kind === 'ready' ? `Bearer ${token.token}` : undefined;
    return createGraphiQLFetcher({
      url: GRAPHQL_URL,
      subscriptionUrl: SUBSCRIPTIONS_URL,
      ...(authorization ? { headers: { Authorization: authorization }, wsConnectionParams: { authorization } } : {}),
    });
  }, [token]);

  if (!fetcher) return <p className="explorer-note">Loading the explorer…</p>;
  return (
    <div className="explorer-page">
      <p className="explorer-note" role="status">
        {token.kind === 'ready' ? `Signed in with a dev ${ROLE} token (outside production only).` : token.kind === 'none' ? token.reason : ''}
      </p>
      <div className="explorer-ide">
        <GraphiQL fetcher={fetcher} defaultQuery={FIRST_QUERY} />
      </div>
    </div>
  );
}
