/**
 * Starts the whole system in one process: the sandbox upstreams, every subgraph of the
 * registry and the gateway. `npm start` runs it on the fixed ports; tests run it with
 * `ephemeral` so every listener takes a free port and the pieces learn each other's URLs.
 */
import { loadSettings, type Settings } from '../config/settings.ts';
import type { Env } from '../config/read-env.ts';
import { startGateway, type RunningGateway } from '../gateway/server.ts';
import { startCoreBanking, type RunningCoreBanking } from '../sandbox/core-banking/server.ts';
import { startGoogleAnalytics } from '../sandbox/google-analytics/server.ts';
import { startIdentityProvider, type RunningIdentityProvider } from '../sandbox/identity-provider/server.ts';
import type { Faults, RunningSandbox } from '../sandbox/kit/sandbox-server.ts';
import { coreBankingOptions, googleAnalyticsOptions, identityOptions, plantApiOptions, sendGridOptions, stripeOptions } from '../sandbox/options.ts';
import { startPlantApi, type RunningPlantApi } from '../sandbox/plant-api/server.ts';
import type { RateLimitOptions } from '../sandbox/sendgrid/rate-limit-window.ts';
import { startSendGrid } from '../sandbox/sendgrid/server.ts';
import { startStripe } from '../sandbox/stripe/server.ts';
import { closeSharedRedis } from '../kit/redis.ts';
import { startSubgraph, type RunningSubgraph } from '../subgraphs/kit/subgraph.ts';
import { SUBGRAPHS } from '../subgraphs/registry.ts';
import { PLANT_WEBHOOK_PATH } from '../subgraphs/plants/webhooks.ts';

export interface StackOptions {
  /** Settings on top of process.env. */
  env?: Env;
  /** Every listener on a free port (tests). */
  ephemeral?: boolean;
  /** Faults every sandbox starts with (the bench adds latency). */
  sandboxFaults?: Partial<Faults>;
  /** Leave out the gateway (subgraph-level tests). */
  withoutGateway?: boolean;
  /** The SendGrid sandbox's rate-limit window (default 600 requests per 60 s). */
  sendgridRateLimit?: RateLimitOptions;
}

export interface Stack {
  /** The settings the subgraphs and gateway run with (sandbox URLs filled in). */
  readonly settings: Settings;
  /** The environment those settings were read from: another process given it joins this stack (a gateway replica). */
  readonly env: Env;
  readonly identity: RunningIdentityProvider;
  readonly plantApi: RunningPlantApi;
  /** The core banking sandbox: HTTPS with client certificates (its admin surface too), so not in `sandboxes`. */
  readonly coreBanking: RunningCoreBanking;
  readonly stripe: RunningSandbox;
  readonly sendgrid: RunningSandbox;
  readonly googleAnalytics: RunningSandbox;
  /** Every sandbox upstream reachable over plain HTTP (admin surface included). */
  readonly sandboxes: readonly RunningSandbox[];
  readonly subgraphs: ReadonlyMap<string, RunningSubgraph>;
  readonly gateway: RunningGateway | undefined;
  close(): Promise<void>;
}

const EPHEMERAL_PORTS: Env = Object.fromEntries(
  ['GATEWAY', 'PLANTS', 'PAYMENTS', 'EMAIL_STATS', 'BANKING', 'AUDIT', 'IDP', 'PLANT_API', 'STRIPE', 'SENDGRID', 'CORE_BANKING', 'ANALYTICS', 'GOOGLE_ANALYTICS'].map((name) => [`${name}_PORT`, '0']),
);

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const baseEnv: Env = { ...process.env, ...(options.ephemeral ? EPHEMERAL_PORTS : {}), ...options.env };
  const base = loadSettings(baseEnv);
  const closers: (() => Promise<void>)[] = [];
  try {
    const faults = options.sandboxFaults ? { faults: options.sandboxFaults } : {};
    // With free ports the provider's own URL is its issuer, known only once it listens.
    const { issuer: _fixedIssuer, ...identityOnFreePort } = identityOptions(base);
    const identity = await startIdentityProvider(options.ephemeral ? identityOnFreePort : identityOptions(base));
    closers.push(() => identity.close());
    const plantApi = await startPlantApi({ ...plantApiOptions(base), ...faults });
    closers.push(() => plantApi.close());
    // Before the subgraphs: it makes the PKI (under the data folder) whose client certificate they present.
    const coreBanking = await startCoreBanking({ ...coreBankingOptions(base), ...faults });
    closers.push(() => coreBanking.close());
    const stripe = await startStripe({ ...stripeOptions(base), ...faults });
    closers.push(() => stripe.close());
    const sendgrid = await startSendGrid({ ...sendGridOptions(base), ...faults, ...(options.sendgridRateLimit ? { rateLimit: options.sendgridRateLimit } : {}) });
    closers.push(() => sendgrid.close());
    const googleAnalytics = await startGoogleAnalytics({ ...googleAnalyticsOptions(base), ...faults });
    closers.push(() => googleAnalytics.close());

    const upstreamEnv: Env = {
      ...baseEnv,
      AUTH_ISSUER: identity.issuer,
      PLANT_API_URL: plantApi.url,
      CORE_BANKING_URL: coreBanking.url,
      STRIPE_URL: stripe.url,
      SENDGRID_URL: sendgrid.url,
      GOOGLE_ANALYTICS_URL: googleAnalytics.url,
      GOOGLE_ANALYTICS_TOKEN_URL: `${googleAnalytics.url}/token`,
    };
    const settings = loadSettings(upstreamEnv);
    const subgraphs = new Map<string, RunningSubgraph>();
    for (const entry of SUBGRAPHS) {
      const running = await startSubgraph(entry, { settings });
      subgraphs.set(entry.name, running);
      closers.push(() => running.close());
    }
    const plants = subgraphs.get('plants');
    if (plants) plantApi.setWebhookTarget(plants.url.replace(/\/graphql$/, PLANT_WEBHOOK_PATH));

    const gatewayEnv: Env = {
      ...upstreamEnv,
      ...Object.fromEntries([...subgraphs].map(([name, running]) => [`${name.toUpperCase().replace(/-/g, '_')}_URL`, running.url])),
    };
    const gatewaySettings = loadSettings(gatewayEnv);
    let gateway: RunningGateway | undefined;
    if (!options.withoutGateway) {
      gateway = await startGateway(gatewaySettings);
      closers.push(() => gateway!.close());
    }
    return {
      settings: gatewaySettings,
      env: gatewayEnv,
      identity,
      plantApi,
      coreBanking,
      stripe,
      sendgrid,
      googleAnalytics,
      sandboxes: [identity, plantApi, stripe, sendgrid, googleAnalytics],
      subgraphs,
      gateway,
      async close() {
        for (const close of closers.reverse()) await close().catch(() => undefined);
        await closeSharedRedis();
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}
