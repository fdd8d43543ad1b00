/**
 * Global email statistics as GET /v3/stats returns them. Each day's figures derive from a
 * seed made of the date alone, so any range is deterministic and a week or month is exactly
 * the sum of its days. Figures are self-consistent: requests = processed + drops, processed =
 * delivered + bounces + blocks, unique counts never exceed their totals.
 */
import { seededRandom, seedFromString } from '../kit/seeded-random.ts';

export type Aggregation = 'day' | 'week' | 'month';

export interface StatsMetrics {
  blocks: number;
  bounce_drops: number;
  bounces: number;
  clicks: number;
  deferred: number;
  delivered: number;
  invalid_emails: number;
  opens: number;
  processed: number;
  requests: number;
  spam_report_drops: number;
  spam_reports: number;
  unique_clicks: number;
  unique_opens: number;
  unsubscribe_drops: number;
  unsubscribes: number;
}

/** One element of the /v3/stats answer. */
export interface StatsEntry {
  date: string;
  stats: Array<{ metrics: StatsMetrics }>;
}

const DAY_MS = 86_400_000;

/** The figures of one UTC day (`YYYY-MM-DD`). */
export function dailyMetrics(date: string): StatsMetrics {
  const random = seededRandom(seedFromString(`sendgrid-stats:${date}`));
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  // Less mail at weekends, as a real sender sees.
  const requests = weekday === 0 || weekday === 6 ? random.int(300, 600) : random.int(900, 1600);
  const bounceDrops = random.int(0, 8);
  const spamReportDrops = random.int(0, 3);
  const unsubscribeDrops = random.int(0, 6);
  const invalidEmails = random.int(0, 4);
  const processed = requests - bounceDrops - spamReportDrops - unsubscribeDrops - invalidEmails;
  const bounces = random.int(2, Math.max(3, Math.floor(processed * 0.03)));
  const blocks = random.int(0, Math.max(1, Math.floor(processed * 0.01)));
  const delivered = processed - bounces - blocks;
  const uniqueOpens = Math.floor(delivered * (0.18 + random.next() * 0.17));
  const opens = uniqueOpens + random.int(0, Math.floor(uniqueOpens * 0.6));
  const uniqueClicks = Math.floor(uniqueOpens * (0.08 + random.next() * 0.14));
  const clicks = uniqueClicks + random.int(0, Math.floor(uniqueClicks * 0.5));
  return {
    blocks,
    bounce_drops: bounceDrops,
    bounces,
    clicks,
    deferred: random.int(0, Math.floor(processed * 0.02)),
    delivered,
    invalid_emails: invalidEmails,
    opens,
    processed,
    requests,
    spam_report_drops: spamReportDrops,
    spam_reports: random.int(0, 3),
    unique_clicks: uniqueClicks,
    unique_opens: uniqueOpens,
    unsubscribe_drops: unsubscribeDrops,
    unsubscribes: random.int(0, 5),
  };
}

/**
 * Stats for every day from `start` to `end` (inclusive, `YYYY-MM-DD`), grouped by day, ISO
 * week (Monday first) or calendar month. A group is dated by its first day inside the range,
 * so the first group carries `start` even when the range begins mid-week or mid-month.
 */
export function globalStats(start: string, end: string, aggregation: Aggregation): StatsEntry[] {
  const entries: StatsEntry[] = [];
  let currentKey: string | undefined;
  for (let time = Date.parse(`${start}T00:00:00Z`); time <= Date.parse(`${end}T00:00:00Z`); time += DAY_MS) {
    const date = new Date(time).toISOString().slice(0, 10);
    const key = groupKey(date, aggregation);
    const metrics = dailyMetrics(date);
    const last = entries.at(-1)?.stats[0];
    if (key === currentKey && last) last.metrics = addMetrics(last.metrics, metrics);
    else entries.push({ date, stats: [{ metrics }] });
    currentKey = key;
  }
  return entries;
}

function groupKey(date: string, aggregation: Aggregation): string {
  if (aggregation === 'day') return date;
  if (aggregation === 'month') return date.slice(0, 7);
  const day = new Date(`${date}T00:00:00Z`);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

function addMetrics(a: StatsMetrics, b: StatsMetrics): StatsMetrics {
  const sum = { ...a };
  for (const key of Object.keys(sum) as Array<keyof StatsMetrics>) sum[key] += b[key];
  return sum;
}
