/**
 * The settings every process shares, read from the environment once, validated with
 * messages that show the bad value, and frozen. Each subgraph folder declares and reads its
 * own upstream's settings from the same environment (config/subgraph-settings.ts).
 * Defaults run the whole stack on loopback with nothing else installed (the sandbox
 * upstreams stand in for the external APIs).
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { readLimits, type Limits } from './limits.ts';
import { assertNoProblems, deepFreeze, unsetSettings } from './production-checks.ts';
import { readEnv, type Env, type EnvReader } from './read-env.ts';

/** `http://<host>:<port>` on this machine (a sandbox's or a service's default URL). */
export const localUrl = (host: string, port: number): string => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

export type RunMode = 'development' | 'test' | 'production';

export const DEV_TOKEN_ACCESS = ['loopback', 'always', 'never'] as const;
export type DevTokenAccess = (typeof DEV_TOKEN_ACCESS)[number];

/** The ports of what is not a subgraph (each subgraph declares its own: config/subgraph-settings.ts). */
export interface Ports {
  readonly gateway: number;
  /** The sandbox identity provider that issues dev tokens. */
  readonly identity: number;
}

export interface Settings {
  /** The environment these were read from: each subgraph folder reads its own settings from it too. */
  readonly source: Env;
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
    /** Longest lifetime (exp - iat) a caller's token may have. */
    readonly maxTokenLifetimeSeconds: number;
  };
  readonly gateway: {
    /** Whether a caller's `x-request-id` is kept as the request id (only behind a proxy that sets it). */
    readonly trustRequestId: boolean;
    /** How long a subgraph may take to answer before its fields are nulled with UPSTREAM_UNAVAILABLE. */
    readonly subgraphTimeoutMs: number;
    /** The gateway's response cache (gateway/response-cache/): RESPONSE_CACHE on (default) or off. */
    readonly responseCache: {
      readonly enabled: boolean;
      /** Bound of the in-memory store (without REDIS_URL), in bytes of serialised answers. */
      readonly maxBytes: number;
    };
  };
  /** Every service's `/metrics` answers only with this bearer token when set (in production it must be). */
  readonly metricsToken: string | undefined;
  /** Every limit enforced before work is done for a caller (config/limits.ts). */
  readonly limits: Limits;
  /**
   * The credential the gateway signs for each request it sends a subgraph (HS256 JWT with the
   * caller's subject, roles, plan and request id); subgraphs accept nothing else.
   */
  readonly internalToken: {
    readonly secret: string;
    readonly ttlSeconds: number;
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
    identity: port('IDP_PORT', 4100),
  };
  const issuer = env.url('AUTH_ISSUER', localUrl(host, ports.identity));
  const dataDir = path.resolve(env.string('DATA_DIR', 'data'));

  const settings: Settings = {
    source: Object.freeze({ ...source }),
    mode,
    host,
    ports,
    dataDir,
    redisUrl: env.optionalUrl('REDIS_URL'),
    databaseUrl: env.optionalUrl('DATABASE_URL'),
    keyPrefix: env.string('KEY_PREFIX', 'fil:'),
    auditSchema: env.string('AUDIT_SCHEMA', 'audit'),
    auditConsumerName: env.string('AUDIT_CONSUMER_NAME', `audit-${hostname()}`),
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
      maxTokenLifetimeSeconds: env.int('AUTH_MAX_TOKEN_LIFETIME_SECONDS', 24 * 3600, { min: 60 }),
    },
    gateway: {
      trustRequestId: env.flag('GATEWAY_TRUST_REQUEST_ID', false),
      subgraphTimeoutMs: env.int('GATEWAY_SUBGRAPH_TIMEOUT_MS', 15_000, { min: 100 }),
      responseCache: {
        enabled: env.oneOf('RESPONSE_CACHE', ['on', 'off'] as const, 'on') === 'on',
        maxBytes: env.int('RESPONSE_CACHE_MAX_BYTES', 32 * 1024 * 1024, { min: 0 }),
      },
    },
    metricsToken: env.optionalSecret('METRICS_TOKEN'),
    limits: readLimits(env, mode),
    internalToken: {
      // A made-up key for loopback; production must set its own (assertProductionReady).
      secret: env.secret('INTERNAL_TOKEN_SECRET', 'internal-dev-secret-for-loopback-only-0000'),
      ttlSeconds: env.int('INTERNAL_TOKEN_TTL_SECONDS', 60, { min: 5, max: 3600 }),
    },
    web: {
      devTokens: env.oneOf('BROWSER_DEV_TOKENS', DEV_TOKEN_ACCESS, 'loopback'),
      oidc: dashboardOidc(env, issuer),
    },
  };
  env.assertValid();
  if (mode === 'production') assertProductionReady(source, settings);
  return deepFreeze(settings);
}

/** The dashboard's login: configured by its client id, against the token issuer unless told otherwise. */
function dashboardOidc(env: EnvReader, issuer: string): Settings['web']['oidc'] {
  const clientId = env.string('DASHBOARD_OIDC_CLIENT_ID', '');
  const authority = env.url('DASHBOARD_OIDC_AUTHORITY', issuer);
  const scope = env.string('DASHBOARD_OIDC_SCOPE', 'openid profile');
  return clientId ? { authority, clientId, scope } : undefined;
}

/** What production must set of the shared settings (each subgraph folder lists its own). */
export const PRODUCTION_REQUIRED_SETTINGS = ['AUTH_ISSUER', 'INTERNAL_TOKEN_SECRET', 'METRICS_TOKEN'] as const;

/** Dev defaults are fine on loopback, never in production: the shared secrets set and strong. */
function assertProductionReady(source: Env, settings: Settings): void {
  const problems = unsetSettings(source, PRODUCTION_REQUIRED_SETTINGS);
  if (settings.internalToken.secret.length < 32) problems.push('INTERNAL_TOKEN_SECRET must be at least 32 characters');
  assertNoProblems(problems);
}
