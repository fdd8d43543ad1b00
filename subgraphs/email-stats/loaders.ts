/** The email-stats subgraph's reads, cached across requests (300 s by default). */
import type { Upstream } from '../kit/upstream.ts';
import type { Aggregation, Bounce, BounceQuery, SendGridApi, StatsBucket } from './connector.ts';

export interface EmailLoaders {
  stats(query: { from: string; to: string; aggregatedBy: Aggregation }): Promise<StatsBucket[]>;
  bounces(query: BounceQuery): Promise<Bounce[]>;
}

export function emailLoaders(api: SendGridApi, upstream: Upstream): EmailLoaders {
  return {
    stats: (query) => upstream.read(`stats:${query.aggregatedBy}:${query.from}:${query.to}`, (signal) => api.stats(query, signal)),
    bounces: (query) =>
      upstream.read(`bounces:${query.startTime ?? ''}:${query.endTime ?? ''}:${query.offset}:${query.limit}`, (signal) => api.bounces(query, signal)),
  };
}
