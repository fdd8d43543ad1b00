/**
 * Reads a runReport body as the Data API does (proto3 JSON: int64 `limit` and `offset` as
 * numbers or strings, enums as names or numbers) and refuses what it would refuse with
 * INVALID_ARGUMENT: unknown fields and names, bad dates, out-of-range paging, orderBys on
 * fields the report does not have. Features the sandbox does not model are refused too.
 */
import { dayCount, resolveRequestDate } from './calendar.ts';
import { InvalidArgument } from './errors.ts';

export const DIMENSIONS = ['date', 'year', 'month', 'week', 'pagePath', 'pageTitle'] as const;
export type DimensionName = (typeof DIMENSIONS)[number];

/** The metrics the sandbox computes, with the type GA4 reports for each. */
export const METRIC_TYPES = { sessions: 'TYPE_INTEGER', totalUsers: 'TYPE_INTEGER', screenPageViews: 'TYPE_INTEGER', bounceRate: 'TYPE_FLOAT' } as const;
export type MetricName = keyof typeof METRIC_TYPES;

export type OrderBy =
  | { kind: 'metric'; name: MetricName; desc: boolean }
  | { kind: 'dimension'; name: DimensionName; numeric: boolean; caseInsensitive: boolean; desc: boolean };

export interface ReportRequest {
  startDate: string;
  endDate: string;
  dimensions: DimensionName[];
  metrics: MetricName[];
  offset: number;
  limit: number;
  orderBys: OrderBy[];
}

/** GA4's documented limits. */
export const DEFAULT_LIMIT = 10_000;
export const MAX_LIMIT = 250_000;
const MAX_DIMENSIONS = 9;
const MAX_METRICS = 10;
/** The sandbox keeps about five years of data; longer ranges are refused rather than computed. */
const MAX_RANGE_DAYS = 5 * 366;

const MODELLED_FIELDS = new Set(['property', 'dimensions', 'metrics', 'dateRanges', 'offset', 'limit', 'orderBys', 'currencyCode', 'keepEmptyRows', 'returnPropertyQuota']);
const UNMODELLED_FIELDS = new Set(['dimensionFilter', 'metricFilter', 'metricAggregations', 'cohortSpec', 'comparisons']);
/** OrderBy.DimensionOrderBy.OrderType, by name and by number. */
const ORDER_TYPES: Readonly<Record<string, 'alphanumeric' | 'caseInsensitive' | 'numeric'>> = {
  ORDER_TYPE_UNSPECIFIED: 'alphanumeric',
  ALPHANUMERIC: 'alphanumeric',
  CASE_INSENSITIVE_ALPHANUMERIC: 'caseInsensitive',
  NUMERIC: 'numeric',
  0: 'alphanumeric',
  1: 'alphanumeric',
  2: 'caseInsensitive',
  3: 'numeric',
};

export function readReportRequest(raw: string, now: number): ReportRequest {
  const body = parseObject(raw);
  for (const field of Object.keys(body)) {
    if (UNMODELLED_FIELDS.has(field)) throw new InvalidArgument(`The sandbox does not model ${field}.`);
    if (!MODELLED_FIELDS.has(field)) throw new InvalidArgument(`Invalid JSON payload received. Unknown name "${field}": Cannot find field.`);
  }
  const { startDate, endDate } = dateRange(body.dateRanges, now);
  const dimensions = names(body.dimensions, 'dimension', DIMENSIONS, MAX_DIMENSIONS);
  const metrics = names(body.metrics, 'metric', Object.keys(METRIC_TYPES) as MetricName[], MAX_METRICS);
  if (dimensions.length === 0 && metrics.length === 0) throw new InvalidArgument('A report must request at least one dimension or metric.');
  const limit = int64(body.limit, 'limit') || DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) throw new InvalidArgument(`limit must be at most ${MAX_LIMIT}; got ${limit}.`);
  return { startDate, endDate, dimensions, metrics, offset: int64(body.offset, 'offset'), limit, orderBys: orderBys(body.orderBys, dimensions, metrics) };
}

function parseObject(raw: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw || '{}');
  } catch {
    throw new InvalidArgument('Invalid JSON payload received.');
  }
  if (!isObject(body)) throw new InvalidArgument('Invalid JSON payload received. Expected an object.');
  return body;
}

function dateRange(value: unknown, now: number): { startDate: string; endDate: string } {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidArgument('dateRanges is required.');
  // GA4 accepts up to four ranges (rows then carry a dateRange dimension); the sandbox models one.
  if (value.length > 1) throw new InvalidArgument('The sandbox models one date range per report.');
  const range: unknown = value[0];
  if (!isObject(range)) throw new InvalidArgument('dateRanges[0] must be an object.');
  const read = (field: 'startDate' | 'endDate') => {
    const text = typeof range[field] === 'string' ? (range[field] as string) : '';
    const day = resolveRequestDate(text, now);
    if (!day) throw new InvalidArgument(`Invalid dateRanges[0].${field} "${text.slice(0, 40)}": expected YYYY-MM-DD, today, yesterday or NdaysAgo.`);
    return day;
  };
  const startDate = read('startDate');
  const endDate = read('endDate');
  if (startDate > endDate) throw new InvalidArgument(`Invalid date range: startDate ${startDate} is after endDate ${endDate}.`);
  if (dayCount(startDate, endDate) > MAX_RANGE_DAYS) throw new InvalidArgument(`The sandbox serves date ranges of at most ${MAX_RANGE_DAYS} days.`);
  return { startDate, endDate };
}

function names<T extends string>(value: unknown, kind: string, known: readonly T[], max: number): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidArgument(`${kind}s must be a list.`);
  if (value.length > max) throw new InvalidArgument(`A report may request at most ${max} ${kind}s.`);
  const found = value.map((item: unknown) => {
    const name = isObject(item) && typeof item.name === 'string' ? item.name : '';
    if (!(known as readonly string[]).includes(name)) throw new InvalidArgument(`Field ${name} is not a valid ${kind}.`);
    return name as T;
  });
  if (new Set(found).size !== found.length) throw new InvalidArgument(`A ${kind} is requested more than once.`);
  return found;
}

/** int64 in proto3 JSON: a number or a decimal string; absent is 0. */
function int64(value: unknown, field: string): number {
  if (value === undefined || value === null) return 0;
  const number = typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw new InvalidArgument(`Invalid value at '${field}': not an integer.`);
  if (number < 0) throw new InvalidArgument(`${field} must not be negative; got ${number}.`);
  return number;
}

function orderBys(value: unknown, dimensions: readonly DimensionName[], metrics: readonly MetricName[]): OrderBy[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidArgument('orderBys must be a list.');
  return value.map((item: unknown, i): OrderBy => {
    if (!isObject(item)) throw new InvalidArgument(`orderBys[${i}] must be an object.`);
    const desc = item.desc === true;
    if (isObject(item.metric) && item.dimension === undefined) {
      const name = String(item.metric.metricName ?? '');
      if (!(metrics as readonly string[]).includes(name)) throw new InvalidArgument(`orderBys[${i}]: metric ${name} is not in the request's metrics.`);
      return { kind: 'metric', name: name as MetricName, desc };
    }
    if (isObject(item.dimension) && item.metric === undefined) {
      const name = String(item.dimension.dimensionName ?? '');
      if (!(dimensions as readonly string[]).includes(name)) throw new InvalidArgument(`orderBys[${i}]: dimension ${name} is not in the request's dimensions.`);
      const type = ORDER_TYPES[String(item.dimension.orderType ?? 'ALPHANUMERIC')];
      if (!type) throw new InvalidArgument(`orderBys[${i}]: unknown orderType ${String(item.dimension.orderType)}.`);
      return { kind: 'dimension', name: name as DimensionName, numeric: type === 'numeric', caseInsensitive: type === 'caseInsensitive', desc };
    }
    throw new InvalidArgument(`orderBys[${i}] must order by one metric or one dimension.`);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
