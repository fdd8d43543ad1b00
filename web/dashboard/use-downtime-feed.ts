/**
 * The plantDowntime subscription over graphql-ws. The client reconnects by itself (with
 * backoff) after the gateway restarts or the network drops; each (re)connection is
 * reported so the banner can re-read the status it may have missed meanwhile.
 */
import { createClient } from 'graphql-ws';
import { useEffect, useRef, useState } from 'react';
import { SUBSCRIPTIONS_URL } from '../shared/endpoints.ts';
import plantDowntime from './plant-downtime.graphql';

export interface DowntimeEvent {
  kind: 'API_DOWN' | 'API_RESTORED' | 'PLANT_OFFLINE' | 'PLANT_ONLINE';
  at: string;
  message: string;
  plant: { id: string; name: string; site: string; status: string } | null;
}

export type FeedStatus = 'connecting' | 'live' | 'reconnecting';

export function useDowntimeFeed(token: string, handlers: { onEvent: (event: DowntimeEvent) => void; onConnected: () => void }): FeedStatus {
  const [status, setStatus] = useState<FeedStatus>('connecting');
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    const client = createClient({
      url: SUBSCRIPTIONS_URL,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      keepAlive: 10_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      // Close codes such as 4403 (token expired) too: a renewed token comes with a new client.
      shouldRetry: () => true,
      on: {
        connected: () => {
          setStatus('live');
          latest.current.onConnected();
        },
        closed: () => setStatus('reconnecting'),
      },
    });
    const unsubscribe = client.subscribe<{ plantDowntime: DowntimeEvent }>(
      { query: plantDowntime.text },
      {
        next: (message) => {
          if (message.data) latest.current.onEvent(message.data.plantDowntime);
        },
        error: () => setStatus('reconnecting'),
        complete: () => undefined,
      },
    );
    return () => {
      unsubscribe();
      void client.dispose();
    };
  }, [token]);
  return status;
}
