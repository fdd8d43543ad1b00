import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import type { GraphQLSchema } from 'graphql';
import { useEffect, useMemo, useState } from 'react';
import { fetchDevToken } from '../shared/dev-token.ts';
import { GRAPHQL_URL, SUBSCRIPTIONS_URL } from '../shared/endpoints.ts';
import { loadWebConfig } from '../shared/web-config.ts';
import { loadSchema } from './load-schema.ts';
import './explorer.css';

const ROLE = 'ANALYST';
const FIRST_QUERY = `# The explorer runs from the gateway itself: no internet needed.
# Subscriptions (plantDowntime) go over graphql-ws.
query Status {
  plantApiStatus { up since banner { message } }
  plants(first: 3) { totalCount edges { node { id name status } } }
}
`;

interface Ready {
  /** `Bearer ...`, or undefined where no dev token is handed out. */
  readonly authorization: string | undefined;
  /** Undefined when introspection failed: GraphiQL then tries (and reports the error) itself. */
  readonly schema: GraphQLSchema | undefined;
  readonly note: string;
}

export function ExplorerPage() {
  const [ready, setReady] = useState<Ready | undefined>();
  useEffect(() => {
    void start().then(setReady);
  }, []);

  const fetcher = useMemo(() => {
    if (!ready) return undefined;
    const { authorization } = ready;
    return createGraphiQLFetcher({
      url: GRAPHQL_URL,
      subscriptionUrl: SUBSCRIPTIONS_URL,
      ...(authorization ? { headers: { Authorization: authorization }, wsConnectionParams: { authorization } } : {}),
    });
  }, [ready]);

  if (!ready || !fetcher) return <p className="explorer-note">Loading the explorer…</p>;
  return (
    <div className="explorer-page">
      <p className="explorer-note" role="status">
        {ready.note}
      </p>
      <div className="explorer-ide">
        <GraphiQL fetcher={fetcher} {...(ready.schema ? { schema: ready.schema } : {})} defaultQuery={FIRST_QUERY} />
      </div>
    </div>
  );
}

async function start(): Promise<Ready> {
  let authorization: string | undefined;
  let note: string;
  try {
    const config = await loadWebConfig();
    if (config.devTokens) {
      authorization = `Bearer ${(await fetchDevToken(ROLE)).accessToken}`;
      note = `Signed in with a dev ${ROLE} token (outside production only).`;
    } else {
      note = 'No dev token here: add an Authorization header below.';
    }
  } catch (error) {
    note = error instanceof Error ? error.message : String(error);
  }
  const schema = await loadSchema(authorization).catch(() => undefined);
  return { authorization, schema, note };
}
