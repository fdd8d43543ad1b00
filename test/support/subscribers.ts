/** graphql-ws subscribers for tests: a client per role, and a recorder of what arrives. */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { eventually } from './stack.ts';

export const ALERTS = `subscription ($ids: [ID!]) { plantDowntime(plantIds: $ids) { kind at message plant { id name status operator { email phone } } } }`;

export interface Alert {
  kind: string;
  at: string;
  message: string;
  plant: { id: string; name: string; status: string; operator: { email: string; phone: string } } | null;
}

/** A subscriber that records what it receives. */
export function subscribe(client: Client, variables: Record<string, unknown> = {}) {
  const received: Alert[] = [];
  const errors: unknown[] = [];
  const dispose = client.subscribe<{ plantDowntime: Alert }>(
    { query: ALERTS, variables },
    {
      next: (message) => {
        if (message.data) received.push(message.data.plantDowntime);
        if (message.errors) errors.push(message.errors);
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return { received, errors, dispose };
}

export function wsClient(stack: { gateway?: { url: string } | undefined }, token: string | undefined, onClose?: (code: number) => void): Client {
  return createClient({
    url: stack.gateway!.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => onClose?.((event as { code: number }).code) },
    onNonLazyError: () => undefined,
  });
}

/** Waits until the gateway holds at least `count` live subscriptions. */
export async function waitForSubscribers(gateway: { subscriberCount(): number }, count: number): Promise<void> {
  await eventually(() => (gateway.subscriberCount() >= count ? true : undefined));
}

