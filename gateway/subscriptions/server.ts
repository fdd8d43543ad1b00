/**
 * The gateway's subscription endpoints: graphql-ws on ws://.../graphql (subprotocol
 * graphql-transport-ws, token in connection_init's payload) and graphql-sse on
 * /graphql/stream (token in the Authorization header). Only subscriptions are served here;
 * queries and mutations go over HTTP. The same limits hold as over HTTP: tokens through the
 * one gate (refusals capped per address), operations through the limit rules, frames and
 * bodies bounded before parsing, a number of subscriptions per socket, and each alert's
 * fan-out query counted against the subscriber's rate limit (one query per group of
 * subscribers with the same selection and roles, fan-out-groups.ts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, specifiedRules, subscribe, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema, type ValidationRule } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Limits } from '../../config/limits.ts';
import { hasScope, type Caller } from '../../kit/auth.ts';
import type { ClientAddress } from '../../kit/client-address.ts';
import { badUserInput, errorBody, ErrorCode, forbidden } from '../../kit/errors.ts';
import type { RawRoute } from '../../kit/http-server.ts';
import type { TokenGate } from '../../kit/token-gate.ts';
import { limitExceeded } from '../limits/limit-error.ts';
import type { CallerRateLimit } from '../rate-limit.ts';
import type { GatewayContext } from '../context.ts';
import type { DowntimeFeed } from './downtime-feed.ts';
import { fanOutGroups } from './fan-out-groups.ts';
import { plantThroughGraph, responseKeyResolver, type RunQuery } from './federated-selection.ts';
import { atTime, endingAt, transformIterator } from './iterators.ts';

import { SSE_PATH, sseRoute } from './sse-route.ts';

export { SSE_PATH } from './sse-route.ts';
const MAX_PLANT_IDS = 100;
/** graphql-ws: refused after the refusal cap of its address. */
const TOO_MANY_REFUSALS = 4429;

export interface SubscriptionOptions {
  server: Server;
  schema: GraphQLSchema;
  gate: TokenGate;
  addressOf: ClientAddress;
  feed: DowntimeFeed;
  runQuery: RunQuery<GatewayContext>;
  limits: Pick<Limits, 'subscriptions' | 'bodies'>;
  /** The limit rules an operation must pass over HTTP (gateway/limits/operation-rules.ts). */
  validationRules: readonly ValidationRule[];
  rateLimit: CallerRateLimit;
}

export interface Subscriptions {
  /** The SSE endpoint, for the gateway's HTTP front. */
  readonly sseRoute: RawRoute;
  close(): Promise<void>;
}

type SocketExtra = {
  caller?: Caller;
  cancelExpiry?: () => void;
  /** Ids of this socket's live subscriptions. */
  subscriptions?: Set<string>;
};

export function startSubscriptions(options: SubscriptionOptions): Subscriptions {
  const { server, schema, gate, addressOf, feed, limits, validationRules, rateLimit } = options;
  const resolvePlant = plantThroughGraph<GatewayContext>(
    fanOutGroups<GatewayContext>({
      run: options.runQuery,
      // Each alert's fan-out query is a request of the subscriber's: it counts against the plan.
      admit: async (context) => context.caller && (await rateLimit.take(context.caller)),
      // Equal roles: equal scopes, so equal permissions and masking, and equal audit details.
      shareKey: (context) => (context.caller ? [...context.caller.roles].sort().join(' ') : undefined),
      size: (context) => Buffer.byteLength(JSON.stringify([context.caller?.subject ?? '', context.requestId ?? ''])) + 1,
      together: ([first, ...others]) => ({
        caller: { ...first!.caller!, alsoFor: others.map((other) => ({ subject: other.caller!.subject, requestId: other.requestId ?? '' })) },
        requestId: first!.requestId ?? '',
      }),
    }),
  );
  const check = (inner: GraphQLSchema, document: DocumentNode) => validate(inner, document, [...specifiedRules, ...validationRules]);

  const rootValue = {
    plantDowntime(args: { plantIds?: string[] | null }, context: GatewayContext) {
      // Alerts name plants: the same scope as reading them.
      if (!hasScope(context.caller, 'plants:read')) throw forbidden('Not allowed to subscribe to Subscription.plantDowntime.');
      if (args.plantIds && args.plantIds.length > MAX_PLANT_IDS) throw badUserInput(`plantIds takes at most ${MAX_PLANT_IDS} ids.`, 'plantIds');
      const events = transformIterator(feed.stream(args.plantIds), (event) => ({
        plantDowntime: { ...event, plant: (fieldArgs: unknown, fieldContext: GatewayContext, info: never) => resolvePlant(event, fieldArgs, fieldContext, info) },
      }));
      // The subscription ends when the subscriber's token does.
      return endingAt(events, (context.caller?.expiresAt ?? 0) * 1000);
    },
  };
  const run = {
    // Both transports call execute for queries and mutations, which belong to HTTP.
    execute: () => ({ errors: [new GraphQLError('Only subscriptions are served here; send queries over HTTP.', { extensions: { code: ErrorCode.BAD_REQUEST } })] }),
    subscribe: (args: ExecutionArgs) => subscribe({ ...args, rootValue, fieldResolver: responseKeyResolver }),
    validate: check,
  };

  // graphql-ws; a frame larger than the limit closes the socket (1009) before it is parsed.
  const sockets = new WebSocketServer({ server, path: '/graphql', maxPayload: limits.bodies.socketMessageBytes });
  const disposable = useServer<Record<string, unknown>, SocketExtra>(
    {
      schema,
      ...run,
      async onConnect(ctx) {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const authorization = typeof raw === 'string' && raw !== '' ? raw : undefined;
        const admission = await gate.admit({ authorization, address: addressOf(ctx.extra.request), userAgent: ctx.extra.request.headers['user-agent'] }, 'subscribe');
        if (!admission.ok) {
          if (admission.overCap) ctx.extra.socket.close(TOO_MANY_REFUSALS, 'Too many refused requests');
          else if (admission.reason === 'missing') ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
          return false; // 4403 Forbidden
        }
        const verdict = admission;
        ctx.extra.caller = verdict.caller;
        ctx.extra.subscriptions = new Set();
        // An expired token ends the connection too: the socket closes when the token does.
        ctx.extra.cancelExpiry = atTime(verdict.caller.expiresAt * 1000, () => ctx.extra.socket.close(CloseCode.Forbidden, 'Token expired'));
        return true;
      },
      onSubscribe(ctx, id) {
        const live = ctx.extra.subscriptions ?? new Set<string>();
        if (live.size >= limits.subscriptions.perSocket) {
          return [limitExceeded({ limit: 'subscriptionsPerSocket', max: limits.subscriptions.perSocket, found: live.size + 1, setting: 'GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET', what: 'subscriptions on one socket' })];
        }
        live.add(id);
        return undefined;
      },
      onComplete(ctx, id) {
        ctx.extra.subscriptions?.delete(id);
      },
      context: (ctx) => ({ caller: ctx.extra.caller, requestId: randomUUID() }) satisfies GatewayContext,
      onClose(ctx) {
        ctx.extra.cancelExpiry?.();
      },
    },
    sockets,
  );

  // graphql-sse
  const verified = new WeakMap<IncomingMessage, Caller>();
  const sse = sseRoute<GatewayContext & Record<PropertyKey, unknown>>(
    {
      schema,
      ...run,
      async authenticate(req) {
        const admission = await gate.admit({ authorization: req.headers.get('authorization') ?? undefined, address: addressOf(req.raw), userAgent: req.raw.headers['user-agent'] }, 'subscribe');
        if (!admission.ok) {
          const status = admission.overCap ? 429 : 401;
          const code = admission.overCap ? ErrorCode.RATE_LIMITED : ErrorCode.UNAUTHENTICATED;
          return [JSON.stringify(errorBody(code, admission.error.message)), { status, statusText: status === 429 ? 'Too Many Requests' : 'Unauthorized' }];
        }
        verified.set(req.raw, admission.caller);
        return null; // every request its own stream ("distinct connections" mode)
      },
      context: (req) => ({ caller: verified.get(req.raw)!, requestId: randomUUID() }),
    },
    limits.bodies.streamBytes,
  );

  return {
    sseRoute: sse,
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}
