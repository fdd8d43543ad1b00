/**
 * Test fixtures: the real stack on free ports with a temporary data folder, tokens minted
 * by its identity provider, and a GraphQL client that talks HTTP to the gateway.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici-types';
import type { Env } from '../../config/read-env.ts';
import { loadOrCreateSigningKey } from '../../sandbox/identity-provider/keys.ts';
import { mintToken } from '../../sandbox/identity-provider/mint.ts';
import { sandboxOf, startStack, type Stack, type StackOptions } from '../../scripts/stack.ts';
import type { RunningCoreBanking } from '../../sandbox/core-banking/server.ts';
import { coreBankingStandIn } from '../../sandbox/core-banking/stand-in.ts';
import { googleAnalyticsStandIn } from '../../sandbox/google-analytics/stand-in.ts';
import type { RunningSandbox } from '../../sandbox/kit/sandbox-server.ts';
import type { RunningPlantApi } from '../../sandbox/plant-api/server.ts';
import { plantApiStandIn } from '../../sandbox/plant-api/stand-in.ts';
import { sendGridStandIn } from '../../sandbox/sendgrid/stand-in.ts';
import { stripeStandIn } from '../../sandbox/stripe/stand-in.ts';
import { analyticsSettings, type AnalyticsSettings } from '../../subgraphs/analytics/settings.ts';
import { bankingSettings, type BankingSettings } from '../../subgraphs/banking/settings.ts';
import { emailStatsSettings, type EmailStatsSettings } from '../../subgraphs/email-stats/settings.ts';
import { paymentsSettings, type PaymentsSettings } from '../../subgraphs/payments/settings.ts';
import { plantsSettings, type PlantsSettings } from '../../subgraphs/plants/settings.ts';
import { readSubgraphSettings } from '../../config/subgraph-settings.ts';
import { internalTokens } from '../../kit/internal-token.ts';
import { scopesFor, type Role } from '../../kit/roles.ts';
import { removeDir } from './temp-dir.ts';

export { eventually } from './eventually.ts';

/** Short retries towards every upstream, so that tests of outages do not wait out the seed backoff. */
export const FAST_RETRIES: Env = Object.fromEntries(
  ['PLANT_API', 'STRIPE', 'SENDGRID', 'CORE_BANKING', 'GOOGLE_ANALYTICS'].flatMap((api) => [
    [`${api}_RETRY_INITIAL_DELAY_MS`, '5'],
    [`${api}_RETRY_MAX_DELAY_MS`, '20'],
  ]),
);

/** Settings that make resilience quick enough to test: short retries, a short probe. */
export const FAST_RESILIENCE: Env = {
  PLANT_API_RETRY_INITIAL_DELAY_MS: '5',
  PLANT_API_RETRY_MAX_DELAY_MS: '20',
  PLANT_API_HEALTH_PROBE_MS: '50',
  PLANT_API_BREAKER_HALF_OPEN_AFTER_MS: '100',
};

/** A plan of two requests a day (both windows a day long): the third is RATE_LIMITED. */
const DAY_MS = String(24 * 3600 * 1000);
export const TWO_REQUESTS_A_DAY: Env = { RATE_LIMIT_PLANS: 'basic=1000/2', RATE_LIMIT_WINDOW_MS: DAY_MS, RATE_LIMIT_BURST_WINDOW_MS: DAY_MS };

/** Each subgraph's own settings as the stack read them. */
export interface UpstreamSettings {
  readonly plantApi: PlantsSettings;
  readonly stripe: PaymentsSettings;
  readonly sendgrid: EmailStatsSettings;
  readonly coreBanking: BankingSettings;
  readonly googleAnalytics: AnalyticsSettings;
}

export interface TestStack extends Omit<Stack, 'sandboxes'> {
  readonly dataDir: string;
  readonly plantApi: RunningPlantApi;
  readonly coreBanking: RunningCoreBanking;
  readonly stripe: RunningSandbox;
  readonly sendgrid: RunningSandbox;
  readonly googleAnalytics: RunningSandbox;
  /** The identity provider and every sandbox reachable over plain HTTP (admin surface included). */
  readonly sandboxes: readonly RunningSandbox[];
  /** Each upstream's settings, as its subgraph reads them. */
  readonly upstreams: UpstreamSettings;
  /** Presents the core banking sandbox's client certificate: pass it to setFaults and sandboxRequests for that sandbox. */
  readonly coreBankingAgent: Dispatcher;
  token(role: Role, options?: { ttlSeconds?: number; subject?: string }): Promise<string>;
  /** The internal token the gateway would sign for a caller of this role (for calling a subgraph directly). */
  internalToken(role: Role, options?: { subject?: string }): Promise<string>;
  /** A token from this stack's provider carrying any roles, even ones the table does not know. */
  tokenWithRoles(roles: readonly string[], subject: string): Promise<string>;
  /** A token from this stack's provider with any claims (roles, a plan), any subject (null: none) and lifetime. */
  signedToken(options: { claims?: Record<string, unknown>; subject?: string | null; lifetimeSeconds?: number }): Promise<string>;
  /** POSTs a query to the gateway (or a subgraph URL). */
  query<T = Record<string, unknown>>(query: string, options?: { token?: string; variables?: Record<string, unknown>; url?: string }): Promise<GraphQLResponse<T>>;
  /** Stops every service but keeps the data folder (to start again on it). */
  stop(): Promise<void>;
  /** Resets every sandbox (counters, faults, data). */
  resetSandboxes(): Promise<void>;
}

export interface GraphQLResponse<T> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[] };
}

export async function startTestStack(options: StackOptions = {}): Promise<TestStack> {
  const dataDir = options.env?.DATA_DIR ?? (await mkdtemp(path.join(os.tmpdir(), 'fil-test-')));
  // The response cache is off unless a test (or the run: RESPONSE_CACHE=on npm test) turns it
  // on: the other tests watch what the subgraphs and upstreams do for each request.
  const stack = await startStack({
    ...options,
    ephemeral: true,
    env: { NODE_ENV: 'test', DATA_DIR: dataDir, KEY_PREFIX: `test-${randomUUID()}:`, RESPONSE_CACHE: process.env.RESPONSE_CACHE ?? 'off', ...options.env },
  });
  const key = await loadOrCreateSigningKey(dataDir);
  const { issuer, audience } = stack.settings.auth;
  const coreBanking = sandboxOf(stack, coreBankingStandIn);
  const { ca, client } = coreBanking.pki;
  const coreBankingAgent: Dispatcher = new Agent({ connect: { ca, cert: client.cert, key: client.key } });
  const signedToken: TestStack['signedToken'] = ({ claims = {}, subject = 'test-subject', lifetimeSeconds = 300 }) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid }).setIssuer(issuer).setAudience(audience).setIssuedAt();
    if (subject !== null) jwt.setSubject(subject);
    return jwt.setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds).sign(key.privateKey);
  };

  const plainSandboxes = [stack.identity, ...[...stack.sandboxes.values()].map(({ running }) => running).filter((running) => running.url.startsWith('http:'))];
  const own = <T>(definition: Parameters<typeof readSubgraphSettings<T>>[0]) => readSubgraphSettings(definition, stack.settings).values;

  return {
    ...stack,
    dataDir,
    plantApi: sandboxOf(stack, plantApiStandIn),
    coreBanking,
    stripe: sandboxOf(stack, stripeStandIn),
    sendgrid: sandboxOf(stack, sendGridStandIn),
    googleAnalytics: sandboxOf(stack, googleAnalyticsStandIn),
    sandboxes: plainSandboxes,
    upstreams: {
      plantApi: own(plantsSettings),
      stripe: own(paymentsSettings),
      sendgrid: own(emailStatsSettings),
      coreBanking: own(bankingSettings),
      googleAnalytics: own(analyticsSettings),
    },
    coreBankingAgent,
    token: (role, { ttlSeconds = 3600, subject } = {}) => mintToken({ key, issuer, audience, role, ttlSeconds, ...(subject ? { subject } : {}) }),
    internalToken: (role, { subject = `internal-${role.toLowerCase()}` } = {}) =>
      internalTokens(stack.settings).sign({ subject, roles: [role], scopes: scopesFor([role]), plan: stack.settings.limits.rate.defaultPlan, expiresAt: 0 }, randomUUID()),
    tokenWithRoles: (roles, subject) => signedToken({ claims: { roles }, subject }),
    signedToken,
    async query(query, { token, variables, url } = {}) {
      const target = url ?? stack.gateway?.url;
      if (!target) throw new Error('no gateway in this stack: pass url');
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<never>['body'] };
    },
    async resetSandboxes() {
      await Promise.all([
        ...plainSandboxes.map((sandbox) => fetch(`${sandbox.url}/__admin/reset`, { method: 'POST' })),
        fetch(`${coreBanking.url}/__admin/reset`, { method: 'POST', dispatcher: coreBankingAgent } as RequestInit),
      ]);
    },
    async stop() {
      await stack.close();
      await coreBankingAgent.close();
    },
    async close() {
      await stack.close();
      await coreBankingAgent.close();
      if (!options.env?.DATA_DIR) await removeDir(dataDir);
    },
  };
}

/** Options for a sandbox's admin surface: the core banking one needs `{ dispatcher: stack.coreBankingAgent }`. */
export interface AdminOptions {
  dispatcher?: Dispatcher;
}

export async function setFaults(sandboxUrl: string, faults: Record<string, unknown>, { dispatcher }: AdminOptions = {}): Promise<void> {
  const response = await fetch(`${sandboxUrl}/__admin/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(faults),
    ...(dispatcher ? { dispatcher } : {}),
  } as RequestInit);
  if (!response.ok) throw new Error(`faults refused: ${response.status}`);
}

export async function sandboxRequests(sandboxUrl: string, { dispatcher }: AdminOptions = {}): Promise<number> {
  const response = await fetch(`${sandboxUrl}/__admin/stats`, (dispatcher ? { dispatcher } : {}) as RequestInit);
  return ((await response.json()) as { requests: number }).requests;
}
