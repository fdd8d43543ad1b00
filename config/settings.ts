/**
 * Every setting of every process, read from the environment once, validated with messages
 * that show the bad value, and frozen. Defaults run the whole stack on loopback with nothing
 * else installed (the sandbox upstreams stand in for the external APIs).
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { readEnv, type Env } from './read-env.ts';

export type RunMode = 'development' | 'test' | 'production';

export const DEV_TOKEN_ACCESS = ['loopback', 'always', 'never'] as const;
export type DevTokenAccess = (typeof DEV_TOKEN_ACCESS)[number];

/** Resilience figures for one upstream API (ARCHITECTURE.md, "Seed figures"). */
export interface UpstreamPolicy {
  /** Fresh lifetime of a cached answer. */
  readonly cacheTtlMs: number;
  /** How long an expired answer is kept to be served stale while the upstream is down. */
  readonly staleTtlMs: number;
  readonly timeoutMs: number;
  readonly retryAttempts: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly breakerFailures: number;
  readonly breakerHalfOpenAfterMs: number;
  /** Outbound requests a minute towards the upstream (0: unlimited). */
  readonly quotaPerMinute: number;
  /** The quota's window: a minute, shorter only in tests. */
  readonly quotaWindowMs: number;
}

export interface Ports {
  readonly gateway: number;
  readonly plants: number;
  readonly payments: number;
  readonly emailStats: number;
  readonly banking: number;
  readonly audit: number;
  readonly analytics: number;
  readonly identity: number;
  readonly plantApi: number;
  readonly stripe: number;
  readonly sendgrid: number;
  readonly coreBanking: number;
  readonly googleAnalytics: number;
}

export interface ClusterSettings {
  readonly gatewayReplicas: number;
  /** One per gateway replica. */
  readonly gatewayPorts: readonly number[];
  /** Audit subgraph processes, each a consumer of the audit stream. */
  readonly auditReplicas: number;
  /** One per audit replica; the gateways use AUDIT_URL (by default the first). */
  readonly auditPorts: readonly number[];
}

export interface Settings {
  readonly mode: RunMode;
  /** Interface every listener binds to. */
  readonly host: string;
  readonly ports: Ports;
  /** Where embedded state lives (PGlite files, generated keys and certificates). */
  readonly dataDir: string;
  readonly redisUrl: string | undefined;
  readonly databaseUrl: string | undefined;
  /** Prefix of every shared key (cache namespaces, quotas, streams, channels) so deployments can share one Redis. */
  readonly keyPrefix: string;
  /** PostgreSQL schema of the audit tables (deployments or test runs sharing a database stay apart). */
  readonly auditSchema: string;
  /** This audit consumer's name in the stream's consumer group: one per process, stable across its restarts. */
  readonly auditConsumerName: string;
  /** `npm run cluster`: how many processes of the replicated services, and their ports. */
  readonly cluster: ClusterSettings;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** `auto`: pino-pretty when stdout is a terminal, JSON lines otherwise. */
  readonly logFormat: 'auto' | 'json' | 'pretty';
  /** OpenTelemetry traces: exported over OTLP when an endpoint is set, off otherwise. */
  readonly tracing: {
    /** OTLP base URL (spans go to `<endpoint>/v1/traces`). */
    readonly otlpEndpoint: string | undefined;
    readonly otlpProtocol: 'http/protobuf' | 'http/json';
  };
  readonly auth: {
    readonly issuer: string;
    readonly audience: string;
    readonly jwksUrl: string;
    readonly algorithms: readonly string[];
    /** Lifetime of tokens minted by the sandbox identity provider. */
    readonly devTokenTtlSeconds: number;
  };
  readonly gateway: {
    /** GraphQL requests a minute per caller (token subject); 0 turns the limit off. */
    readonly rateLimitPerMinute: number;
    /** Requests with a refused token, a minute per network address (each is audited); 0: off. */
    readonly refusedRateLimitPerMinute: number;
    readonly rateLimitWindowMs: number;
    /** Deepest selection nesting an operation may have. */
    readonly maxQueryDepth: number;
    /** Whether a caller's `x-request-id` is kept as the request id (only behind a proxy that sets it). */
    readonly trustRequestId: boolean;
  };
  /** The gateway's browser pages: the dashboard, the offline explorer and the landing page. */
  readonly web: {
    /**
     * Who may get a dev token from the pages (role switch, explorer, Sandbox): requests from
     * loopback only, anyone, or no one. Never in production, whatever this says.
     */
    readonly devTokens: DevTokenAccess;
    /** The deployment's OIDC login for the dashboard (authorization code with PKCE); unset: none. */
    readonly oidc: { readonly authority: string; readonly clientId: string; readonly scope: string } | undefined;
  };
  /** Where the gateway finds each subgraph (overrides the URLs in the supergraph). */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly plantApi: {
    readonly url: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly scope: string;
    readonly webhookSecret: string;
    /** Where the Plant API sandbox posts its change webhooks. */
    readonly webhookTarget: string;
    readonly healthProbeIntervalMs: number;
    readonly tokenTtlSeconds: number;
    readonly policy: UpstreamPolicy;
  };
  /** The core banking platform: mutual TLS, OAuth2 client credentials, and an API key for calendars. */
  readonly coreBanking: {
    readonly url: string;
    readonly clientId: string;
    readonly clientSecret: string;
    /** `X-API-Key` of the calendar API. */
    readonly apiKey: string;
    /** Where the sandbox keeps (and first makes) its CA, server and client certificates. */
    readonly pkiDir: string;
    /** CA that signed the server certificate (PEM file). */
    readonly caFile: string;
    /** Client certificate presented in the TLS handshake (PEM file). */
    readonly certFile: string;
    /** Private key of the client certificate (PEM file). */
    readonly keyFile: string;
    readonly tokenTtlSeconds: number;
    readonly policy: UpstreamPolicy;
  };
  /** Stripe (payments): a secret key; signed webhooks with one or more secrets (rotation). */
  readonly stripe: {
    readonly url: string;
    readonly secretKey: string;
    /** Every secret a `Stripe-Signature` may be made with; two while one rotates. */
    readonly webhookSecrets: readonly string[];
    readonly policy: UpstreamPolicy;
  };
  /** SendGrid v3 (email stats): an API key. */
  readonly sendgrid: {
    readonly url: string;
    readonly apiKey: string;
    readonly policy: UpstreamPolicy;
  };
  /** The Google Analytics Data API (GA4) of one property: OAuth2 with a refresh token. */
  readonly googleAnalytics: {
    /** API base URL (https://analyticsdata.googleapis.com for the real one). */
    readonly url: string;
    /** OAuth2 token endpoint (https://oauth2.googleapis.com/token for the real one). */
    readonly tokenUrl: string;
    /** Numeric GA4 property id. */
    readonly propertyId: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly refreshToken: string;
    /** Lifetime of the access tokens the sandbox grants. */
    readonly tokenTtlSeconds: number;
    readonly policy: UpstreamPolicy;
  };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

function policy(env: ReturnType<typeof readEnv>, prefix: string, defaults: Partial<UpstreamPolicy>): UpstreamPolicy {
  const base: UpstreamPolicy = {
    cacheTtlMs: 60 * SECOND,
    staleTtlMs: 24 * 60 * MINUTE,
    timeoutMs: 1000,
    retryAttempts: 3,
    retryInitialDelayMs: 1000,
    retryMaxDelayMs: 5000,
    breakerFailures: 5,
    breakerHalfOpenAfterMs: 60 * SECOND,
    quotaPerMinute: 0,
    quotaWindowMs: MINUTE,
    ...defaults,
  };
  return {
    cacheTtlMs: env.int(`${prefix}_CACHE_TTL_MS`, base.cacheTtlMs, { min: 0 }),
    staleTtlMs: env.int(`${prefix}_STALE_TTL_MS`, base.staleTtlMs, { min: 0 }),
    timeoutMs: env.int(`${prefix}_TIMEOUT_MS`, base.timeoutMs, { min: 1 }),
    retryAttempts: env.int(`${prefix}_RETRY_ATTEMPTS`, base.retryAttempts, { min: 1, max: 10 }),
    retryInitialDelayMs: env.int(`${prefix}_RETRY_INITIAL_DELAY_MS`, base.retryInitialDelayMs, { min: 0 }),
    retryMaxDelayMs: env.int(`${prefix}_RETRY_MAX_DELAY_MS`, base.retryMaxDelayMs, { min: 0 }),
    breakerFailures: env.int(`${prefix}_BREAKER_FAILURES`, base.breakerFailures, { min: 1 }),
    breakerHalfOpenAfterMs: env.int(`${prefix}_BREAKER_HALF_OPEN_AFTER_MS`, base.breakerHalfOpenAfterMs, { min: 1 }),
    quotaPerMinute: env.int(`${prefix}_QUOTA_PER_MINUTE`, base.quotaPerMinute, { min: 0 }),
    quotaWindowMs: env.int(`${prefix}_QUOTA_WINDOW_MS`, base.quotaWindowMs, { min: 100 }),
  };
}

/**
 * Reads the settings from an environment (process.env by default). Throws one error that
 * lists every bad variable with its value.
 */
export function loadSettings(source: Env = process.env): Settings {
  const env = readEnv(source);
  const mode = env.oneOf('NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const host = env.string('HOST', '127.0.0.1');
  const port = (name: string, fallback: number) => env.int(name, fallback, { min: 0, max: 65535 });
  const ports: Ports = {
    gateway: port('GATEWAY_PORT', 4000),
    plants: port('PLANTS_PORT', 4001),
    payments: port('PAYMENTS_PORT', 4002),
    emailStats: port('EMAIL_STATS_PORT', 4003),
    banking: port('BANKING_PORT', 4004),
    audit: port('AUDIT_PORT', 4005),
    analytics: port('ANALYTICS_PORT', 4006),
    identity: port('IDP_PORT', 4100),
    plantApi: port('PLANT_API_PORT', 4101),
    stripe: port('STRIPE_PORT', 4102),
    sendgrid: port('SENDGRID_PORT', 4103),
    coreBanking: port('CORE_BANKING_PORT', 4104),
    googleAnalytics: port('GOOGLE_ANALYTICS_PORT', 4105),
  };
  const local = (p: number) => `http://${host.includes(':') ? `[${host}]` : host}:${p}`;
  const issuer = env.url('AUTH_ISSUER', local(ports.identity));
  const dataDir = path.resolve(env.string('DATA_DIR', 'data'));
  const googleAnalyticsUrl = env.url('GOOGLE_ANALYTICS_URL', local(ports.googleAnalytics));
  const pkiDir = path.resolve(env.string('CORE_BANKING_PKI_DIR', path.join(dataDir, 'core-banking', 'pki')));

  const settings: Settings = {
    mode,
    host,
    ports,
    dataDir,
    redisUrl: env.optionalUrl('REDIS_URL'),
    databaseUrl: env.optionalUrl('DATABASE_URL'),
    keyPrefix: env.string('KEY_PREFIX', 'fil:'),
    auditSchema: env.string('AUDIT_SCHEMA', 'audit'),
    auditConsumerName: env.string('AUDIT_CONSUMER_NAME', `audit-${hostname()}`),
    cluster: clusterSettings(env, ports),
    logLevel: env.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, mode === 'test' ? 'silent' : 'info'),
    logFormat: env.oneOf('LOG_FORMAT', ['auto', 'json', 'pretty'] as const, 'auto'),
    tracing: {
      otlpEndpoint: env.optionalUrl('OTEL_EXPORTER_OTLP_ENDPOINT'),
      otlpProtocol: env.oneOf('OTEL_EXPORTER_OTLP_PROTOCOL', ['http/protobuf', 'http/json'] as const, 'http/protobuf'),
    },
    auth: {
      issuer,
      audience: env.string('AUTH_AUDIENCE', 'federated-api'),
      jwksUrl: env.url('AUTH_JWKS_URL', `${issuer}/.well-known/jwks.json`),
      algorithms: env.list('AUTH_ALGORITHMS', ['RS256', 'ES256']),
      devTokenTtlSeconds: env.int('DEV_TOKEN_TTL_SECONDS', 3600, { min: 1 }),
    },
    gateway: {
      rateLimitPerMinute: env.int('GATEWAY_RATE_LIMIT_PER_MINUTE', 600, { min: 0 }),
      refusedRateLimitPerMinute: env.int('GATEWAY_REFUSED_RATE_LIMIT_PER_MINUTE', 60, { min: 0 }),
      rateLimitWindowMs: env.int('GATEWAY_RATE_LIMIT_WINDOW_MS', 60_000, { min: 100 }),
      maxQueryDepth: env.int('GATEWAY_MAX_QUERY_DEPTH', 12, { min: 2, max: 100 }),
      trustRequestId: env.flag('GATEWAY_TRUST_REQUEST_ID', false),
    },
    web: {
      devTokens: env.oneOf('BROWSER_DEV_TOKENS', DEV_TOKEN_ACCESS, 'loopback'),
      oidc: dashboardOidc(env, issuer),
    },
    subgraphUrls: {
      plants: env.url('PLANTS_URL', `${local(ports.plants)}/graphql`),
      payments: env.url('PAYMENTS_URL', `${local(ports.payments)}/graphql`),
      'email-stats': env.url('EMAIL_STATS_URL', `${local(ports.emailStats)}/graphql`),
      banking: env.url('BANKING_URL', `${local(ports.banking)}/graphql`),
      audit: env.url('AUDIT_URL', `${local(ports.audit)}/graphql`),
      analytics: env.url('ANALYTICS_URL', `${local(ports.analytics)}/graphql`),
    },
    plantApi: {
      url: env.url('PLANT_API_URL', local(ports.plantApi)),
      clientId: env.string('PLANT_API_CLIENT_ID', 'plants-subgraph'),
      clientSecret: env.secret('PLANT_API_CLIENT_SECRET', 'plants-dev-secret'),
      scope: env.string('PLANT_API_SCOPE', 'plants.read'),
      webhookSecret: env.secret('PLANT_WEBHOOK_SECRET', 'plant-webhook-dev-secret'),
      webhookTarget: env.url('PLANT_WEBHOOK_TARGET', `${local(ports.plants)}/webhooks/plant-api`),
      healthProbeIntervalMs: env.int('PLANT_API_HEALTH_PROBE_MS', 5000, { min: 10 }),
      tokenTtlSeconds: env.int('PLANT_API_TOKEN_TTL_SECONDS', 3600, { min: 1 }),
      policy: policy(env, 'PLANT_API', { cacheTtlMs: 10 * MINUTE, quotaPerMinute: 0 }),
    },
    coreBanking: {
      url: env.url('CORE_BANKING_URL', local(ports.coreBanking).replace(/^http:/, 'https:')),
      clientId: env.string('CORE_BANKING_CLIENT_ID', 'banking-subgraph'),
      clientSecret: env.secret('CORE_BANKING_CLIENT_SECRET', 'banking-dev-secret'),
      apiKey: env.secret('CORE_BANKING_API_KEY', 'calendar-dev-key'),
      pkiDir,
      // The defaults are the files the sandbox generates (sandbox/core-banking/pki.ts).
      caFile: path.resolve(env.string('CORE_BANKING_CA_FILE', path.join(pkiDir, 'ca.crt'))),
      certFile: path.resolve(env.string('CORE_BANKING_CERT_FILE', path.join(pkiDir, 'client.crt'))),
      keyFile: path.resolve(env.string('CORE_BANKING_KEY_FILE', path.join(pkiDir, 'client.key'))),
      tokenTtlSeconds: env.int('CORE_BANKING_TOKEN_TTL_SECONDS', 3600, { min: 1 }),
      // Answers are kept for the short TTL only, never served stale: a validation from
      // before an outage must not pass an account frozen since.
      policy: policy(env, 'CORE_BANKING', { cacheTtlMs: 30 * SECOND, staleTtlMs: 0 }),
    },
    stripe: {
      url: env.url('STRIPE_URL', local(ports.stripe)),
      // The sandbox's made-up test key (sandbox/stripe/server.ts); the stack hands this value to the sandbox.
      secretKey: env.secret('STRIPE_SECRET_KEY', 'sk_test_sandbox_51PlantOpsLocalDevKey0000000000'),
      webhookSecrets: env.list('STRIPE_WEBHOOK_SECRETS', ['whsec_plantops_local_dev_secret']),
      policy: policy(env, 'STRIPE', { cacheTtlMs: 60 * SECOND, quotaPerMinute: 100 }),
    },
    sendgrid: {
      url: env.url('SENDGRID_URL', local(ports.sendgrid)),
      // The sandbox's made-up key (sandbox/sendgrid/server.ts).
      apiKey: env.secret('SENDGRID_API_KEY', 'SG.sandbox-plantops.local-dev-key-not-a-secret'),
      policy: policy(env, 'SENDGRID', { cacheTtlMs: 5 * MINUTE, quotaPerMinute: 50 }),
    },
    googleAnalytics: {
      url: googleAnalyticsUrl,
      // The sandbox serves its token endpoint beside the API.
      tokenUrl: env.url('GOOGLE_ANALYTICS_TOKEN_URL', `${googleAnalyticsUrl}/token`),
      propertyId: String(env.int('GOOGLE_ANALYTICS_PROPERTY_ID', 250_000_001, { min: 1 })),
      clientId: env.string('GOOGLE_ANALYTICS_CLIENT_ID', 'analytics-subgraph'),
      clientSecret: env.secret('GOOGLE_ANALYTICS_CLIENT_SECRET', 'analytics-dev-secret'),
      refreshToken: env.secret('GOOGLE_ANALYTICS_REFRESH_TOKEN', 'analytics-dev-refresh-token'),
      tokenTtlSeconds: env.int('GOOGLE_ANALYTICS_TOKEN_TTL_SECONDS', 3599, { min: 1 }),
      policy: policy(env, 'GOOGLE_ANALYTICS', { cacheTtlMs: 10 * MINUTE, quotaPerMinute: 10 }),
    },
  };
  env.assertValid();
  if (mode === 'production') assertProductionReady(source);
  return deepFreeze(settings);
}

/** Replica counts and ports; each replica after the first listens 10 ports above the one before, unless listed. */
function clusterSettings(env: ReturnType<typeof readEnv>, ports: Ports): ClusterSettings {
  const gatewayReplicas = env.int('CLUSTER_GATEWAY_REPLICAS', 2, { min: 1, max: 20 });
  const auditReplicas = env.int('CLUSTER_AUDIT_REPLICAS', 2, { min: 1, max: 20 });
  return {
    gatewayReplicas,
    gatewayPorts: replicaPorts(env, 'CLUSTER_GATEWAY_PORTS', env.intList('CLUSTER_GATEWAY_PORTS', [], { min: 0, max: 65535 }), gatewayReplicas, ports.gateway),
    auditReplicas,
    auditPorts: replicaPorts(env, 'CLUSTER_AUDIT_PORTS', env.intList('CLUSTER_AUDIT_PORTS', [], { min: 0, max: 65535 }), auditReplicas, ports.audit),
  };
}

/** The listed ports, one per replica, or (none listed) the first port and every tenth above it (0: each a free one). */
function replicaPorts(env: ReturnType<typeof readEnv>, name: string, listed: readonly number[], replicas: number, firstPort: number): number[] {
  const spaced = Array.from({ length: replicas }, (_, i) => (firstPort === 0 ? 0 : firstPort + 10 * i));
  if (listed.length === 0) return spaced;
  if (listed.length !== replicas) {
    env.report(`${name}=${JSON.stringify(listed.join(','))} lists ${listed.length} ports for ${replicas} replicas`);
    return spaced;
  }
  return [...listed];
}

/** The dashboard's login: configured by its client id, against the token issuer unless told otherwise. */
function dashboardOidc(env: ReturnType<typeof readEnv>, issuer: string): Settings['web']['oidc'] {
  const clientId = env.string('DASHBOARD_OIDC_CLIENT_ID', '');
  const authority = env.url('DASHBOARD_OIDC_AUTHORITY', issuer);
  const scope = env.string('DASHBOARD_OIDC_SCOPE', 'openid profile');
  return clientId ? { authority, clientId, scope } : undefined;
}

/** Dev defaults for secrets are fine on loopback, never in production. */
function assertProductionReady(source: Env): void {
  const required = [
    'AUTH_ISSUER',
    'PLANT_API_URL',
    'PLANT_API_CLIENT_SECRET',
    'PLANT_WEBHOOK_SECRET',
    'CORE_BANKING_URL',
    'CORE_BANKING_CLIENT_SECRET',
    'CORE_BANKING_API_KEY',
    // The defaults point at the local sandboxes with made-up keys.
    'STRIPE_URL',
    'STRIPE_SECRET_KEY',
    'STRIPE_WEBHOOK_SECRETS',
    'SENDGRID_URL',
    'SENDGRID_API_KEY',
    'GOOGLE_ANALYTICS_URL',
    'GOOGLE_ANALYTICS_TOKEN_URL',
    'GOOGLE_ANALYTICS_PROPERTY_ID',
    'GOOGLE_ANALYTICS_CLIENT_ID',
    'GOOGLE_ANALYTICS_CLIENT_SECRET',
    'GOOGLE_ANALYTICS_REFRESH_TOKEN',
  ];
  const missing = required.filter((name) => !source[name]);
  if (missing.length > 0) throw new Error(`NODE_ENV=production needs these settings: ${missing.join(', ')}`);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
