/**
 * The downtime alert fan-out in the deployment's shape: our gateway and the subgraph
 * tier in processes of their own, meeting through Redis (as replicas do), N subscribers
 * on graphql-ws. One plant goes offline upstream; the figure is the time from that change
 * to the last subscriber having its alert, each alert resolved through the graph.
 */
import net from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { GATEWAY_KINDS } from './gateways.ts';
import { startDeployment } from './deployment.ts';
import type { BenchSettings } from './settings.ts';

const ALERTS = `subscription { plantDowntime { kind plant { id name status operator { email } } } }`;
const PLANT = 'plant-005';
const WAIT_MS = 60_000;

export interface FanOut {
  readonly gateway: string;
  readonly subscribers: number;
  /** From the plant's change upstream to the last subscriber having the alert. */
  readonly ms: number;
}

/** Undefined (and why, on the console) when Redis cannot be reached. */
export async function measureFanOut(bench: BenchSettings): Promise<FanOut | undefined> {
  if (!(await reachable(bench.redisUrl))) {
    console.log(`  skipped: the gateway and the subgraphs meet through Redis, and ${bench.redisUrl} does not answer (BENCH_REDIS_URL)`);
    return undefined;
  }
  const kind = GATEWAY_KINDS.find((candidate) => candidate.ours)!;
  const deployment = await startDeployment({ kinds: [kind], tierEnv: { REDIS_URL: bench.redisUrl }, bench });
  const clients: Client[] = [];
  try {
    const gateway = deployment.gateways[0]!;
    const plantApi = (await deployment.report()).sandboxes.plants!.url;
    const setStatus = (status: string) => fetch(`${plantApi}/__admin/plants/${PLANT}`, { method: 'POST', body: JSON.stringify({ status }) });
    const arrivals: number[] = [];
    const token = deployment.tokenFor('VIEWER');
    for (let i = 0; i < bench.subscribers; i += 1) {
      const client = createClient({ url: gateway.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
      clients.push(client);
      client.subscribe<{ plantDowntime: { kind: string } }>({ query: ALERTS }, {
        next: (message) => void (message.data?.plantDowntime.kind === 'PLANT_OFFLINE' && arrivals.push(performance.now())),
        error: () => undefined,
        complete: () => undefined,
      });
    }
    await until(async () => (await activeSubscriptions(gateway.url)) >= bench.subscribers, 'every subscriber to be subscribed', 50);
    await setStatus('ONLINE');
    const started = performance.now();
    await setStatus('OFFLINE');
    await until(async () => arrivals.length >= bench.subscribers, `every subscriber to have the alert (${arrivals.length} have it)`);
    return { gateway: gateway.name, subscribers: bench.subscribers, ms: Math.max(...arrivals) - started };
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    await deployment.stop();
  }
}

/** The gateway's gauge of live downtime subscriptions. */
async function activeSubscriptions(graphqlUrl: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', graphqlUrl))).text();
  return Number(/^\S*downtime_subscriptions_active(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
}

async function until(check: () => Promise<boolean>, what: string, everyMs = 5): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`fan-out: waited ${WAIT_MS} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

function reachable(redisUrl: string): Promise<boolean> {
  const { hostname, port } = new URL(redisUrl);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379), timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true)).once('error', () => done(false)).once('timeout', () => done(false));
  });
}
