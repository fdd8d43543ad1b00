/**
 * The analytics subgraph's reads: deduplicated per request (two aliases of one report cost
 * one call) and cached across requests (600 s by default), so the 10-a-minute quota towards
 * Google Analytics goes to reports nobody asked for yet.
 */
import type DataLoader from 'dataloader';
import { cachedItemLoader } from '../kit/loaders.ts';
import type { Upstream } from '../kit/upstream.ts';
import type { AnalyticsApi, PagesQuery, PageViewsPage, TrafficBucket, TrafficQuery } from './connector.ts';

export interface AnalyticsLoaders {
  traffic: DataLoader<TrafficQuery, TrafficBucket[] | null, string>;
  topPages: DataLoader<PagesQuery, PageViewsPage | null, string>;
}

export function analyticsLoaders(api: AnalyticsApi, upstream: Upstream): AnalyticsLoaders {
  return {
    traffic: cachedItemLoader(upstream, 'traffic', (query: TrafficQuery, signal) => api.traffic(query, signal), ({ by, from, to }) => `${by}:${from}:${to}`),
    topPages: cachedItemLoader(
      upstream,
      'pages',
      (query: PagesQuery, signal) => api.topPages(query, signal),
      ({ from, to, offset, limit }) => `${from}:${to}:${offset}:${limit}`,
    ),
  };
}
