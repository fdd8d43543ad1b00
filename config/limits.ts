/**
 * Every limit the gateway (and, for refusals and bodies, every service) enforces before it
 * does work for a caller, with its setting and default in one place. README "Limits" lists
 * them; each refusal says which limit it hit and its value.
 */
import { readEnv } from './read-env.ts';

type Env = ReturnType<typeof readEnv>;

export const PLAN_NAMES = ['basic', 'professional', 'enterprise'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

/** A rate-limit plan (the Storm API's): requests an hour, and at most `burst` in one burst window. */
export interface Plan {
  readonly perHour: number;
  readonly burst: number;
}

export interface Limits {
  /** What one operation may ask for, checked before any resolver runs. */
  readonly operation: {
    readonly maxAliases: number;
    readonly maxTokens: number;
    readonly maxRootFields: number;
    readonly maxDepth: number;
    readonly maxDirectives: number;
    /** Estimated objects an answer may hold: list fields count by `first`. */
    readonly maxCost: number;
    /** How many items a list without `first` is assumed to hold. */
    readonly assumedListSize: number;
    /** `__schema` and `__type` fields an operation may select (the standard introspection query needs one). */
    readonly maxIntrospectionFields: number;
    /** Nesting below `__schema` or `__type` (the standard introspection query needs 14). */
    readonly maxIntrospectionDepth: number;
  };
  /** Per caller (token subject), by the plan the token names (claim `plan`), shared through Redis. */
  readonly rate: {
    readonly plans: Readonly<Record<PlanName, Plan>>;
    readonly defaultPlan: PlanName;
    readonly windowMs: number;
    readonly burstWindowMs: number;
  };
  /** Refused requests (bad or missing credentials, bad webhook signatures) per source address, on every entry point. */
  readonly refusals: {
    /** Audited one by one up to this many a window; beyond, refused at once and summed up in one event per window. */
    readonly perAddress: number;
    readonly windowMs: number;
    /** Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges); none by default. */
    readonly trustedProxies: readonly string[];
  };
  /** Sizes refused before parsing. */
  readonly bodies: {
    readonly graphqlBytes: number;
    readonly streamBytes: number;
    readonly webhookBytes: number;
    readonly socketMessageBytes: number;
  };
  readonly subscriptions: {
    readonly perSocket: number;
  };
  readonly trustedDocuments: {
    /** Roles that may send only the registered operations (schema/operations/), by hash. */
    readonly onlyForRoles: readonly string[];
    /** Room for operations registered by clients (Apollo's automatic persisted queries). */
    readonly apqCacheBytes: number;
  };
}

const KIB = 1024;
const MINUTE = 60_000;

const DEFAULT_PLANS: Record<PlanName, Plan> = {
  basic: { perHour: 1000, burst: 100 },
  professional: { perHour: 10_000, burst: 500 },
  enterprise: { perHour: 100_000, burst: 2000 },
};

export function readLimits(env: Env, mode: 'development' | 'test' | 'production'): Limits {
  return {
    operation: {
      maxAliases: env.int('GATEWAY_MAX_ALIASES', 15, { min: 0 }),
      maxTokens: env.int('GATEWAY_MAX_TOKENS', 1000, { min: 10 }),
      maxRootFields: env.int('GATEWAY_MAX_ROOT_FIELDS', 10, { min: 1 }),
      maxDepth: env.int('GATEWAY_MAX_QUERY_DEPTH', 12, { min: 2, max: 100 }),
      maxDirectives: env.int('GATEWAY_MAX_DIRECTIVES', 10, { min: 0 }),
      maxCost: env.int('GATEWAY_MAX_COST', 5000, { min: 1 }),
      assumedListSize: env.int('GATEWAY_COST_LIST_SIZE', 20, { min: 1 }),
      maxIntrospectionFields: env.int('GATEWAY_MAX_INTROSPECTION_FIELDS', 5, { min: 0 }),
      maxIntrospectionDepth: env.int('GATEWAY_MAX_INTROSPECTION_DEPTH', 16, { min: 1 }),
    },
    rate: {
      plans: readPlans(env),
      defaultPlan: env.oneOf('RATE_LIMIT_DEFAULT_PLAN', PLAN_NAMES, 'basic'),
      windowMs: env.int('RATE_LIMIT_WINDOW_MS', 60 * MINUTE, { min: 100 }),
      burstWindowMs: env.int('RATE_LIMIT_BURST_WINDOW_MS', MINUTE, { min: 100 }),
    },
    refusals: {
      perAddress: env.int('REFUSED_PER_ADDRESS_PER_WINDOW', 60, { min: 0 }),
      windowMs: env.int('REFUSED_WINDOW_MS', MINUTE, { min: 100 }),
      trustedProxies: env.list('TRUSTED_PROXIES', []),
    },
    bodies: {
      graphqlBytes: env.int('GATEWAY_MAX_BODY_BYTES', 1024 * KIB, { min: KIB }),
      streamBytes: env.int('GATEWAY_MAX_STREAM_BODY_BYTES', 64 * KIB, { min: KIB }),
      webhookBytes: env.int('WEBHOOK_MAX_BODY_BYTES', 256 * KIB, { min: KIB }),
      socketMessageBytes: env.int('GATEWAY_MAX_SOCKET_MESSAGE_BYTES', 64 * KIB, { min: KIB }),
    },
    subscriptions: {
      perSocket: env.int('GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET', 20, { min: 1 }),
    },
    trustedDocuments: {
      onlyForRoles: env.list('GATEWAY_TRUSTED_DOCUMENTS_ONLY', mode === 'production' ? ['VIEWER'] : []),
      apqCacheBytes: env.int('GATEWAY_APQ_CACHE_BYTES', 2048 * KIB, { min: 0 }),
    },
  };
}

/** `RATE_LIMIT_PLANS=basic=1000/100,professional=...`: requests an hour / burst, over the defaults. */
function readPlans(env: Env): Record<PlanName, Plan> {
  const plans = { ...DEFAULT_PLANS };
  for (const entry of env.list('RATE_LIMIT_PLANS', [])) {
    const match = /^(\w+)=(\d+)\/(\d+)$/.exec(entry);
    const name = match?.[1] as PlanName | undefined;
    if (!match || !name || !PLAN_NAMES.includes(name)) {
      env.problem(`RATE_LIMIT_PLANS entry ${JSON.stringify(entry)} is not <${PLAN_NAMES.join('|')}>=<per hour>/<burst>`);
      continue;
    }
    plans[name] = { perHour: Number(match[2]), burst: Number(match[3]) };
  }
  return plans;
}
