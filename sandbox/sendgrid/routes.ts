/**
 * SendGrid v3 routes of the sandbox: global stats and the bounce list, behind the bearer
 * API key and the rate-limit window, every answer carrying the X-RateLimit-* headers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { json, Router, type RouteHandler, type SandboxRequest, type SandboxResponse } from '../kit/router.ts';
import type { Bounce } from './bounces.ts';
import { sendGridError } from './errors.ts';
import { globalStats, type Aggregation } from './global-stats.ts';
import { rateLimitHeaders, type RateLimitWindow } from './rate-limit-window.ts';

const AGGREGATIONS: readonly Aggregation[] = ['day', 'week', 'month'];
/** Longest stats range the sandbox computes (SendGrid keeps a few years). */
const MAX_STATS_DAYS = 3 * 366;

/** A 400 for a bad query parameter, thrown by handlers. */
class BadParameter extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

export function sendGridRoutes({ apiKey, bounces, rateLimit }: { apiKey: string; bounces: readonly Bounce[]; rateLimit: RateLimitWindow }): Router {
  const route = (handler: (request: SandboxRequest) => SandboxResponse): RouteHandler => (request) => {
    if (!hasApiKey(request, apiKey)) {
      return sendGridError(401, null, 'authorization required', rateLimitHeaders(rateLimit.peek()));
    }
    const state = rateLimit.take();
    const headers = rateLimitHeaders(state);
    if (!state.allowed) return sendGridError(429, null, 'too many requests', headers);
    try {
      const response = handler(request);
      return { ...response, headers: { ...response.headers, ...headers } };
    } catch (error) {
      if (error instanceof BadParameter) return sendGridError(400, error.field, error.message, headers);
      throw error;
    }
  };

  return new Router()
    .on(
      'GET',
      '/v3/stats',
      route(({ query }) => {
        const start = date(query, 'start_date');
        if (start === undefined) throw new BadParameter('start_date', 'missing required argument');
        const end = date(query, 'end_date') ?? new Date().toISOString().slice(0, 10);
        if (end < start) throw new BadParameter('end_date', 'end_date should be after start_date');
        if ((Date.parse(end) - Date.parse(start)) / 86_400_000 > MAX_STATS_DAYS) {
          throw new BadParameter('start_date', `date range must not exceed ${MAX_STATS_DAYS} days`);
        }
        const aggregation = query.get('aggregated_by') ?? 'day';
        if (!AGGREGATIONS.includes(aggregation as Aggregation)) {
          throw new BadParameter('aggregated_by', 'aggregated_by must be day, week or month');
        }
        return json(200, window(globalStats(start, end, aggregation as Aggregation), query));
      }),
    )
    .on(
      'GET',
      '/v3/suppression/bounces',
      route(({ query }) => {
        const from = integer(query, 'start_time');
        const to = integer(query, 'end_time');
        // Both bounds are inclusive, as SendGrid documents them.
        const matching = bounces.filter((bounce) => (from === undefined || bounce.created >= from) && (to === undefined || bounce.created <= to));
        return json(200, window(matching, query));
      }),
    );
}

function hasApiKey(request: SandboxRequest, apiKey: string): boolean {
  const header = String(request.headers.authorization ?? '');
  const presented = /^Bearer\s+(.+)$/i.exec(header.trim())?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return presented !== '' && timingSafeEqual(digest(presented), digest(apiKey));
}

/** `offset` / `limit` paging of a result array. */
function window<T>(items: readonly T[], query: URLSearchParams): T[] {
  const offset = integer(query, 'offset') ?? 0;
  const limit = integer(query, 'limit');
  return items.slice(offset, limit === undefined ? undefined : offset + limit);
}

function date(query: URLSearchParams, field: string): string | undefined {
  const raw = query.get(field);
  if (raw === null || raw === '') return undefined;
  // Round-tripping through Date rejects impossible days such as 2026-02-30.
  const time = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? Date.parse(`${raw}T00:00:00Z`) : Number.NaN;
  const valid = !Number.isNaN(time) && new Date(time).toISOString().startsWith(raw);
  if (!valid) throw new BadParameter(field, `${field} must be a valid date in YYYY-MM-DD format`);
  return raw;
}

function integer(query: URLSearchParams, field: string): number | undefined {
  const raw = query.get(field);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new BadParameter(field, `${field} must be a non-negative integer`);
  return Number(raw);
}
