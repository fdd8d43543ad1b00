/**
 * SendGrid v3 (UPSTREAMS.md, "SendGrid"), typed: global stats and the bounce suppression
 * list. Every answer's X-RateLimit-* headers feed the rate-limit gate, so calls wait for
 * the announced reset instead of running into 429s. Answers are mapped to the subgraph's
 * own shapes here and nowhere else.
 */
import type { EmailStatsSettings } from './settings.ts';
import { bearerKey } from '../kit/client-credentials.ts';
import { createHttpClient } from '../kit/http-client.ts';
import { metrics } from '../../kit/metrics.ts';
import type { RateLimitGate } from '../kit/rate-limit-gate.ts';

export const SENDGRID_API = 'sendgrid';

export type Aggregation = 'DAY' | 'WEEK' | 'MONTH';

export interface StatsBucket {
  /** YYYY-MM-DD. */
  date: string;
  requests: number;
  delivered: number;
  opens: number;
  uniqueOpens: number;
  clicks: number;
  uniqueClicks: number;
  bounces: number;
  spamReports: number;
  blocks: number;
}

export interface Bounce {
  email: string;
  reason: string;
  status: string;
  /** ISO 8601. */
  created: string;
}

export interface BounceQuery {
  offset: number;
  limit: number;
  /** Unix seconds, both bounds included. */
  startTime?: number | undefined;
  endTime?: number | undefined;
}

export interface SendGridApi {
  stats(query: { from: string; to: string; aggregatedBy: Aggregation }, signal: AbortSignal): Promise<StatsBucket[]>;
  bounces(query: BounceQuery, signal: AbortSignal): Promise<Bounce[]>;
}

interface WireMetrics {
  requests?: number;
  delivered?: number;
  opens?: number;
  unique_opens?: number;
  clicks?: number;
  unique_clicks?: number;
  bounces?: number;
  spam_reports?: number;
  blocks?: number;
}

interface WireStatsEntry {
  date: string;
  stats: { metrics?: WireMetrics }[];
}

interface WireBounce {
  created: number;
  email: string;
  reason?: string | null;
  status?: string | null;
}

export function createSendGridApi(config: EmailStatsSettings, gate: RateLimitGate): SendGridApi {
  const http = createHttpClient({
    api: SENDGRID_API,
    baseUrl: config.url,
    timeoutMs: config.policy.timeoutMs,
    auth: bearerKey(config.apiKey),
    onExchange: (exchange) => {
      metrics.observeExchange(exchange);
      if (exchange.headers) gate.observe(exchange.headers);
    },
  });

  return {
    async stats({ from, to, aggregatedBy }, signal) {
      const { body } = await http.request<WireStatsEntry[]>({
        path: '/v3/stats',
        query: { start_date: from, end_date: to, aggregated_by: aggregatedBy.toLowerCase() },
        signal,
      });
      return body.map(toBucket);
    },
    async bounces({ offset, limit, startTime, endTime }, signal) {
      const { body } = await http.request<WireBounce[]>({
        path: '/v3/suppression/bounces',
        query: { start_time: startTime, end_time: endTime, offset, limit },
        signal,
      });
      return body.map((wire) => ({
        email: wire.email,
        reason: wire.reason ?? '',
        status: wire.status ?? '',
        created: new Date(wire.created * 1000).toISOString(),
      }));
    },
  };
}

/** One date's figures; a global stats entry has one element in `stats`, summed in case of more. */
function toBucket(entry: WireStatsEntry): StatsBucket {
  const sum = (field: keyof WireMetrics) => entry.stats.reduce((total, stat) => total + (stat.metrics?.[field] ?? 0), 0);
  return {
    date: entry.date,
    requests: sum('requests'),
    delivered: sum('delivered'),
    opens: sum('opens'),
    uniqueOpens: sum('unique_opens'),
    clicks: sum('clicks'),
    uniqueClicks: sum('unique_clicks'),
    bounces: sum('bounces'),
    spamReports: sum('spam_reports'),
    blocks: sum('blocks'),
  };
}
