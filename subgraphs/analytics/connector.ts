/**
 * The Google Analytics Data API (UPSTREAMS.md, "Google Analytics Data API"), typed: web
 * traffic per day, week or month, and the most viewed pages, both from runReport on one GA4
 * property, with OAuth2 access tokens from a refresh token. Answers are mapped to the
 * subgraph's own shapes here and nowhere else.
 */
import type { AnalyticsSettings } from './settings.ts';
import { createHttpClient } from '../kit/http-client.ts';
import { metrics } from '../../kit/metrics.ts';
import { refreshToken } from '../kit/refresh-token.ts';
import { reportRows, type WireRunReportRequest, type WireRunReportResponse } from './report-wire.ts';
import { BUCKET_DIMENSIONS, bucketKeyOfRow, bucketSlots, type TrafficPeriod } from './traffic-buckets.ts';

export const GOOGLE_ANALYTICS_API = 'google-analytics';

export type { TrafficPeriod };

export interface TrafficQuery {
  /** YYYY-MM-DD, both included. */
  from: string;
  to: string;
  by: TrafficPeriod;
}

export interface TrafficBucket {
  /** The bucket's first day within the range, YYYY-MM-DD. */
  date: string;
  sessions: number;
  users: number;
  pageViews: number;
  /** 0..1. */
  bounceRate: number;
}

export interface PagesQuery {
  from: string;
  to: string;
  offset: number;
  limit: number;
}

export interface PageViews {
  path: string;
  title: string;
  views: number;
}

export interface PageViewsPage {
  pages: PageViews[];
  /** Rows of the whole report, as GA4 counts them (rowCount). */
  total: number;
}

export interface AnalyticsApi {
  traffic(query: TrafficQuery, signal: AbortSignal): Promise<TrafficBucket[]>;
  topPages(query: PagesQuery, signal: AbortSignal): Promise<PageViewsPage>;
}

const TRAFFIC_METRICS = ['sessions', 'totalUsers', 'screenPageViews', 'bounceRate'];

export function createAnalyticsApi(config: AnalyticsSettings): AnalyticsApi {
  const http = createHttpClient({
    api: GOOGLE_ANALYTICS_API,
    baseUrl: config.url,
    timeoutMs: config.policy.timeoutMs,
    auth: refreshToken({
      api: GOOGLE_ANALYTICS_API,
      tokenUrl: config.tokenUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      refreshToken: config.refreshToken,
      timeoutMs: config.policy.timeoutMs,
    }),
    onExchange: metrics.observeExchange,
  });
  const runReport = async (request: WireRunReportRequest, signal: AbortSignal) => {
    const { body } = await http.request<WireRunReportResponse>({
      method: 'POST',
      path: `/v1beta/properties/${encodeURIComponent(config.propertyId)}:runReport`,
      json: request,
      signal,
    });
    return body;
  };

  return {
    async traffic({ from, to, by }, signal) {
      const dimensions = BUCKET_DIMENSIONS[by];
      const report = await runReport(
        {
          dateRanges: [{ startDate: from, endDate: to }],
          dimensions: dimensions.map((name) => ({ name })),
          metrics: TRAFFIC_METRICS.map((name) => ({ name })),
          orderBys: dimensions.map((dimensionName) => ({ dimension: { dimensionName } })),
        },
        signal,
      );
      const byKey = new Map(reportRows(report).map((row) => [bucketKeyOfRow(row.dimensions, by), row.metrics]));
      // GA4 leaves out buckets without traffic; the range answers every one of them.
      return bucketSlots(from, to, by).map(({ key, date }) => {
        const found = byKey.get(key) ?? {};
        return {
          date,
          sessions: found.sessions ?? 0,
          users: found.totalUsers ?? 0,
          pageViews: found.screenPageViews ?? 0,
          bounceRate: found.bounceRate ?? 0,
        };
      });
    },
    async topPages({ from, to, offset, limit }, signal) {
      const report = await runReport(
        {
          dateRanges: [{ startDate: from, endDate: to }],
          dimensions: [{ name: 'pagePath' }, { name: 'pageTitle' }],
          metrics: [{ name: 'screenPageViews' }],
          // Ties broken by path and title, so pages never swap places between two pages of results.
          orderBys: [
            { metric: { metricName: 'screenPageViews' }, desc: true },
            { dimension: { dimensionName: 'pagePath' } },
            { dimension: { dimensionName: 'pageTitle' } },
          ],
          offset,
          limit,
        },
        signal,
      );
      return {
        pages: reportRows(report).map((row) => ({
          path: row.dimensions.pagePath ?? '',
          title: row.dimensions.pageTitle ?? '',
          views: row.metrics.screenPageViews ?? 0,
        })),
        total: report.rowCount ?? 0,
      };
    },
  };
}
