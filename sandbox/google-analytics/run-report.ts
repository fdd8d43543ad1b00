/**
 * Answers a read runReport request over a property's traffic: the days' page figures are
 * grouped by the requested dimensions, their metrics aggregated, rows ordered and paged, in
 * the RunReportResponse shape (proto3 JSON, so an empty report has no `rows` and no `rowCount`).
 */
import { daysBetween, timeDimensions } from './calendar.ts';
import { METRIC_TYPES, type DimensionName, type MetricName, type OrderBy, type ReportRequest } from './report-request.ts';
import { trafficOfDay, type PageDay } from './traffic-data.ts';

export interface RunReportResponse {
  dimensionHeaders: { name: string }[];
  metricHeaders: { name: string; type: (typeof METRIC_TYPES)[MetricName] }[];
  rows?: { dimensionValues: { value: string }[]; metricValues: { value: string }[] }[];
  rowCount?: number;
  metadata: { currencyCode: string; timeZone: string };
  kind: 'analyticsData#runReport';
}

/** Sums of one row's cells (a page on a day each). */
interface Totals {
  sessions: number;
  users: number;
  screenPageViews: number;
  bouncedSessions: number;
  days: Set<string>;
}

interface Row {
  dimensions: string[];
  metrics: number[];
}

/** Share of a multi-day row's daily visitors that are new: the rest came back and count once. */
const DISTINCT_SHARE_ACROSS_DAYS = 0.8;

export function runReport(propertyId: string, request: ReportRequest): RunReportResponse {
  const groups = new Map<string, { dimensions: string[]; totals: Totals }>();
  for (const day of daysBetween(request.startDate, request.endDate)) {
    const time = timeDimensions(day);
    for (const page of trafficOfDay(propertyId, day)) {
      const dimensions = request.dimensions.map((name) => dimensionValue(name, time, page));
      const key = dimensions.join('\u0000');
      let group = groups.get(key);
      if (!group) {
        group = { dimensions, totals: { sessions: 0, users: 0, screenPageViews: 0, bouncedSessions: 0, days: new Set() } };
        groups.set(key, group);
      }
      add(group.totals, page, day);
    }
  }
  const rows = [...groups.values()].map(({ dimensions, totals }): Row => ({ dimensions, metrics: request.metrics.map((name) => metricValue(name, totals)) }));
  rows.sort(compareRows(request));
  const page = rows.slice(request.offset, request.offset + request.limit);
  return {
    dimensionHeaders: request.dimensions.map((name) => ({ name })),
    metricHeaders: request.metrics.map((name) => ({ name, type: METRIC_TYPES[name] })),
    ...(page.length > 0
      ? { rows: page.map((row) => ({ dimensionValues: row.dimensions.map((value) => ({ value })), metricValues: row.metrics.map((value) => ({ value: String(value) })) })) }
      : {}),
    ...(rows.length > 0 ? { rowCount: rows.length } : {}),
    metadata: { currencyCode: 'USD', timeZone: 'Etc/UTC' },
    kind: 'analyticsData#runReport',
  };
}

function dimensionValue(name: DimensionName, time: ReturnType<typeof timeDimensions>, page: PageDay): string {
  if (name === 'pagePath') return page.pagePath;
  if (name === 'pageTitle') return page.pageTitle;
  return time[name];
}

function add(totals: Totals, page: PageDay, day: string): void {
  totals.sessions += page.sessions;
  totals.users += page.users;
  totals.screenPageViews += page.screenPageViews;
  totals.bouncedSessions += page.bouncedSessions;
  totals.days.add(day);
}

function metricValue(name: MetricName, totals: Totals): number {
  if (name === 'sessions') return totals.sessions;
  if (name === 'screenPageViews') return totals.screenPageViews;
  if (name === 'totalUsers') return totals.days.size > 1 ? Math.ceil(totals.users * DISTINCT_SHARE_ACROSS_DAYS) : totals.users;
  return totals.sessions > 0 ? totals.bouncedSessions / totals.sessions : 0;
}

/** orderBys in turn; rows equal on all of them keep their order (days ascending). */
function compareRows(request: ReportRequest): (a: Row, b: Row) => number {
  const comparators = request.orderBys.map((order) => comparator(order, request));
  return (a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
}

function comparator(order: OrderBy, request: ReportRequest): (a: Row, b: Row) => number {
  const sign = order.desc ? -1 : 1;
  if (order.kind === 'metric') {
    const i = request.metrics.indexOf(order.name);
    return (a, b) => sign * ((a.metrics[i] as number) - (b.metrics[i] as number));
  }
  const i = request.dimensions.indexOf(order.name);
  const text = (row: Row) => (order.caseInsensitive ? (row.dimensions[i] as string).toLowerCase() : (row.dimensions[i] as string));
  if (order.numeric) return (a, b) => sign * (Number(text(a)) - Number(text(b)));
  return (a, b) => sign * (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0);
}
