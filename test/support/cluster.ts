/**
 * The scaled-out topology for tests: every service in a process of its own on free ports,
 * on this machine's Redis and PostgreSQL with a key prefix, audit schema and data folder of
 * the test file's own; tokens from its identity provider (each with a subject of its own
 * unless told, so rate-limit budgets never mix), and a GraphQL client for any replica.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Env } from '../../config/read-env.ts';
import type { Role } from '../../kit/roles.ts';
import { loadOrCreateSigningKey } from '../../sandbox/identity-provider/keys.ts';
import { mintToken } from '../../sandbox/identity-provider/mint.ts';
import { startCluster, type RunningCluster } from '../../scripts/cluster.ts';
import { metricValue } from './prometheus.ts';
import { DATABASE_URL, REDIS_URL } from './services.ts';
import type { GraphQLResponse } from './stack.ts';
import { FAST_RETRIES } from './stack.ts';
import { removeDir } from './temp-dir.ts';

export interface TestCluster extends RunningCluster {
  /** A token for a role; its subject is new each call unless given. */
  token(role: Role, subject?: string): Promise<string>;
  /** POSTs a query to a GraphQL URL (a gateway replica's, usually). */
  query<T = Record<string, unknown>>(url: string, query: string, options?: { token?: string; variables?: Record<string, unknown>; headers?: Record<string, string> }): Promise<GraphQLResponse<T>>;
  /** Live downtime subscriptions on a gateway replica, read from its /metrics. */
  subscribers(gatewayUrl: string): Promise<number>;
  /** Stops every process and removes what the test file made (data folder, audit schema). */
  close(): Promise<void>;
}

/** How long a hook may take to start the whole topology (15 processes) on a busy machine. */
export const STARTUP_MS = 180_000;

/** The first of `choices` a plant is not in now: a change to it is a transition. */
export function anotherStatus(current: string | undefined, ...choices: string[]): string {
  return choices.find((choice) => choice !== current)!;
}

/** The response cache is off unless `env` turns it on, as in the test stack (stack.ts). */
export async function startTestCluster(env: Env = {}): Promise<TestCluster> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fil-cluster-'));
  const schema = `cluster_test_${randomUUID().replace(/-/g, '')}`;
  const cluster = await startCluster({
    freePorts: true,
    env: { NODE_ENV: 'test', DATA_DIR: dataDir, REDIS_URL, DATABASE_URL, KEY_PREFIX: `cluster-${randomUUID()}:`, AUDIT_SCHEMA: schema, ...FAST_RETRIES, RESPONSE_CACHE: process.env.RESPONSE_CACHE ?? 'off', ...env },
  });
  const key = await loadOrCreateSigningKey(dataDir);
  const { issuer, audience } = cluster.settings.auth;
  return {
    ...cluster,
    token: (role, subject = `${role.toLowerCase()}-${randomUUID()}`) => mintToken({ key, issuer, audience, role, subject, ttlSeconds: 3600 }),
    async query(url, query, { token, variables, headers = {} } = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<never>['body'] };
    },
    subscribers: (gatewayUrl) => metricValue(gatewayUrl, 'downtime_subscriptions_active'),
    async close() {
      await cluster.stop();
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
      await removeDir(dataDir);
    },
  };
}
