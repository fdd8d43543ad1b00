/**
 * The response cache as an Apollo Server plugin. Runs once the operation is parsed,
 * validated and within its limits, and after the context was made, so a cached answer is
 * still authenticated and counted by the rate limit (gateway/rate-limit.ts runs in the
 * context function). What is kept, and for how long:
 * - only queries (never mutations or subscriptions), from a verified caller;
 * - only answers with data and no errors but FORBIDDEN ones (cacheable-errors.ts), that every contributing subgraph allowed to keep
 *   (kit/response-report.ts: shortest upstream lifetime; 0 while an upstream is down, so an
 *   answer served stale under the downtime banner is never kept);
 * - until the shortest lifetime any contributing subgraph reported, counted from when the
 *   execution began, or until a change drops it (invalidations.ts).
 * A hit writes the audit events its execution wrote (SENSITIVE_READ, FORBIDDEN), as the caller being served,
 * and leaves once they are handed over (kit/request-audit.ts), as a miss does.
 * Answers say `x-cache: hit` (with `age` in seconds) or `x-cache: miss`.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import { handOver, recipientsSink, type AuditSink } from '../../kit/request-audit.ts';
import type { ServiceMetrics } from '../../kit/service-metrics.ts';
import type { GatewayContext } from '../context.ts';
import { currentRequestId } from '../../kit/service-scope.ts';
import { errorsFor, onlyCacheableErrors } from './cacheable-errors.ts';
import { Contributions } from './contributions.ts';
import { entityTags } from './entity-tags.ts';
import { responseCacheKey } from './key.ts';
import { serviceTag, type Invalidations } from './invalidations.ts';
import type { CachedAnswer, ResponseStore } from './store.ts';

export interface ResponseCachePluginOptions {
  store: ResponseStore;
  invalidations: Invalidations;
  audit: AuditSink;
  metrics: ServiceMetrics;
}

export function responseCachePlugin({ store, invalidations, audit, metrics }: ResponseCachePluginOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let key: string | undefined;
      let served: CachedAnswer | undefined;
      const startedAt = Date.now();
      return {
        async responseForOperation({ operation, document, request, contextValue, response }) {
          const { caller } = contextValue;
          if (operation?.operation !== 'query' || !caller) return null;
          key = responseCacheKey({ document, operationName: request.operationName, variables: request.variables, caller });
          const entry = await store.get(key);
          if (!entry || invalidations.outdated(entry)) {
            metrics.countResponseCache('miss');
            contextValue.contributions = new Contributions();
            return null;
          }
          served = entry;
          invalidations.noteLifetime(entry);
          metrics.countResponseCache('hit');
          // The same events a miss would have written: one per entity read, as this caller
          // (and as each subscriber a grouped alert answers for, as the subgraphs do).
          const sink = recipientsSink(audit, caller);
          for (const { id: _id, at: _at, ...event } of entry.audited) sink.emit({ ...event, actor: caller.subject });
          // And, as on a miss, the answer leaves once they are handed over.
          if (entry.audited.length > 0) await handOver(audit);
          response.http.headers.set('x-cache', 'hit');
          response.http.headers.set('age', String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000))));
          const errors = entry.errors?.length ? { errors: errorsFor(entry.errors, currentRequestId()) } : {};
          return { http: response.http, body: { kind: 'single', singleResult: { data: entry.data, ...errors } } };
        },
        async willSendResponse({ response, contextValue, operation, document, schema }) {
          if (served || !key || !operation || !document) return;
          response.http.headers.set('x-cache', 'miss');
          const contributions = contextValue.contributions;
          if (response.body.kind !== 'single' || !contributions) return;
          const { data, errors } = response.body.singleResult;
          const lifetimeMs = contributions.lifetimeMs();
          if (!onlyCacheableErrors(errors) || !data || lifetimeMs <= 0) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          const tags = [...entityTags(schema, operation, fragments, data), ...[...contributions.services].map(serviceTag)];
          const entry: CachedAnswer = { data, storedAt: startedAt, expiresAt: startedAt + lifetimeMs, tags, audited: contributions.audited, ...(errors?.length ? { errors: [...errors] } : {}) };
          // Changed while it ran: what it read may be from before the change.
          if (invalidations.outdated(entry)) return;
          invalidations.noteLifetime(entry);
          // Not waited for: the caller has its answer either way.
          void store.set(key, entry).then(
            () => metrics.countResponseCache('store'),
            () => undefined, // stores never throw; this only keeps a surprise from being unhandled
          );
        },
      };
    },
  };
}
