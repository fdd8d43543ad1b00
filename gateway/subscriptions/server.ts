/**
 * The gateway's subscription endpoints: graphql-ws on ws://.../graphql (subprotocol
 * graphql-transport-ws, token in connection_init's payload) and graphql-sse on
 * /graphql/stream (token in the Authorization header). Only subscriptions are served here;
 * queries and mutations go over HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, subscribe, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/http';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { AuditSink } from '../../kit/request-audit.ts';
import { hasScope, type Caller, type TokenVerifier } from '../../kit/auth.ts';
import { badUserInput, forbidden } from '../../kit/errors.ts';
import type { RawRoute } from '../../kit/http-server.ts';
import type { GatewayContext } from '../context.ts';
import type { DowntimeFeed } from './downtime-feed.ts';
import { plantThroughGraph, responseKeyResolver, type RunQuery } from './federated-selection.ts';
import { atTime, endingAt, transformIterator } from './iterators.ts';

export const SSE_PATH = '/graphql/stream';
const SSE_ACCEPT_MESSAGE = `${SSE_PATH} streams subscriptions as Server-Sent Events: POST the subscription with Accept: text/event-stream (graphql-sse), or use graphql-ws on /graphql.`;
const MAX_PLANT_IDS = 100;

export interface SubscriptionOptions {
  server: Server;
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  feed: DowntimeFeed;
  runQuery: RunQuery<GatewayContext>;
  audit: AuditSink;
  service: string;
}

export interface Subscriptions {
  /** The SSE endpoint, for the gateway's HTTP front. */
  readonly sseRoute: RawRoute;
  close(): Promise<void>;
}

type SocketExtra = {
  caller?: Caller;
  cancelExpiry?: () => void;
};

export function startSubscriptions(options: SubscriptionOptions): Subscriptions {
  const { server, schema, verifier, feed, runQuery, audit, service } = options;
  const resolvePlant = plantThroughGraph(runQuery);

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
    execute: () => ({ errors: [new GraphQLError('Only subscriptions are served here; send queries over HTTP.', { extensions: { code: 'BAD_REQUEST' } })] }),
    subscribe: (args: ExecutionArgs) => subscribe({ ...args, rootValue, fieldResolver: responseKeyResolver }),
  };

  function refused(reason: string): void {
    audit.emit({ type: 'AUTH_FAILURE', actor: 'anonymous', service, action: 'subscribe', outcome: 'DENIED', details: { reason } });
  }

  // graphql-ws
  const sockets = new WebSocketServer({ server, path: '/graphql' });
  const disposable = useServer<Record<string, unknown>, SocketExtra>(
    {
      schema,
      ...run,
      async onConnect(ctx) {
        const authorization = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        if (typeof authorization !== 'string' || authorization === '') {
          refused('missing');
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
          return false;
        }
        const verdict = await verifier.verify(authorization);
        if (!verdict.ok) {
          refused(verdict.reason);
          return false; // 4403 Forbidden
        }
        ctx.extra.caller = verdict.caller;
        // An expired token ends the connection too: the socket closes when the token does.
        ctx.extra.cancelExpiry = atTime(verdict.caller.expiresAt * 1000, () => ctx.extra.socket.close(CloseCode.Forbidden, 'Token expired'));
        return true;
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
  const sse = createHandler<GatewayContext & Record<PropertyKey, unknown>>({
    schema,
    ...run,
    async authenticate(req) {
      const verdict = await verifier.verify(req.headers.get('authorization') ?? undefined);
      if (!verdict.ok) {
        refused(verdict.reason);
        return [JSON.stringify({ errors: [{ message: 'A valid bearer token is required.', extensions: { code: 'UNAUTHENTICATED' } }] }), { status: 401, statusText: 'Unauthorized' }];
      }
      verified.set(req.raw, verdict.caller);
      return null; // every request its own stream ("distinct connections" mode)
    },
    context: (req) => ({ caller: verified.get(req.raw)!, requestId: randomUUID() }),
  });

  return {
    sseRoute: {
      path: SSE_PATH,
      async handle(req, res) {
        // graphql-sse serves event streams only (distinct connections mode); anything else learns what to send.
        if (!String(req.headers.accept ?? '').includes('text/event-stream')) {
          res.writeHead(406, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: SSE_ACCEPT_MESSAGE, extensions: { code: 'BAD_REQUEST' } }] }));
          return;
        }
        await sse(req, res);
      },
    },
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}
