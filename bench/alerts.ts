/**
 * Downtime alert figures: how long from the Plant API going down (or back) to the alert
 * reaching a subscriber, with the default probe interval; and how long one plant alert
 * takes to reach many subscribers, each resolved through the federated graph.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadOrCreateSigningKey } from '../sandbox/identity-provider/keys.ts';
import { mintToken } from '../sandbox/identity-provider/mint.ts';
import { readSubgraphSettings } from '../config/subgraph-settings.ts';
import { plantApiStandIn } from '../sandbox/plant-api/stand-in.ts';
import { sandboxOf, startStack } from '../scripts/stack.ts';
import { plantsSettings } from '../subgraphs/plants/settings.ts';

const ALERTS = `subscription { plantDowntime { kind plant { id name status operator { email } } } }`;

export interface AlertFigures {
  probeIntervalMs: number;
  downMs: number[];
  restoredMs: number[];
  subscribers: number;
  fanOutMs: number;
  rssBeforeMb: number;
  rssIdleMb: number;
}

export async function measureAlerts(options: { rounds: number; subscribers: number }): Promise<AlertFigures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fil-bench-'));
  const stack = await startStack({ ephemeral: true, env: { DATA_DIR: dataDir, KEY_PREFIX: `bench-${randomUUID()}:`, LOG_LEVEL: 'error' } });
  const plantApi = sandboxOf(stack, plantApiStandIn);
  const clients: Client[] = [];
  try {
    const key = await loadOrCreateSigningKey(dataDir);
    const token = await mintToken({ key, issuer: stack.settings.auth.issuer, audience: stack.settings.auth.audience, role: 'VIEWER', ttlSeconds: 3600 });
    const url = stack.gateway!.url.replace(/^http/, 'ws');
    let arrivals: { kind: string; at: number }[] = [];
    const open = () => {
      const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
      clients.push(client);
      client.subscribe<{ plantDowntime: { kind: string } }>({ query: ALERTS }, {
        next: (message) => void (message.data && arrivals.push({ kind: message.data.plantDowntime.kind, at: performance.now() })),
        error: () => undefined,
        complete: () => undefined,
      });
    };
    const until = async (check: () => boolean) => {
      while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const faults = (body: object) => fetch(`${plantApi.url}/__admin/faults`, { method: 'POST', body: JSON.stringify(body) });

    open();
    await until(() => stack.gateway!.subscriberCount() >= 1);
    const downMs: number[] = [];
    const restoredMs: number[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      arrivals = [];
      let started = performance.now();
      await faults({ down: true });
      await until(() => arrivals.some((a) => a.kind === 'API_DOWN'));
      downMs.push(arrivals.find((a) => a.kind === 'API_DOWN')!.at - started);
      started = performance.now();
      await faults({ down: false });
      await until(() => arrivals.some((a) => a.kind === 'API_RESTORED'));
      restoredMs.push(arrivals.find((a) => a.kind === 'API_RESTORED')!.at - started);
    }

    const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
    for (let i = 1; i < options.subscribers; i += 1) open();
    await until(() => stack.gateway!.subscriberCount() >= options.subscribers);
    const rssIdleMb = process.memoryUsage().rss / 2 ** 20;
    await fetch(`${plantApi.url}/__admin/plants/plant-005`, { method: 'POST', body: JSON.stringify({ status: 'ONLINE' }) });
    arrivals = [];
    const started = performance.now();
    await fetch(`${plantApi.url}/__admin/plants/plant-005`, { method: 'POST', body: JSON.stringify({ status: 'OFFLINE' }) });
    await until(() => arrivals.filter((a) => a.kind === 'PLANT_OFFLINE').length >= options.subscribers);
    const fanOutMs = Math.max(...arrivals.map((a) => a.at)) - started;
    return { probeIntervalMs: readSubgraphSettings(plantsSettings, stack.settings).values.healthProbeIntervalMs, downMs, restoredMs, subscribers: options.subscribers, fanOutMs, rssBeforeMb, rssIdleMb };
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    await stack.close();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}
