/**
 * Reading Stripe's form-style query parameters: `limit`, the cursors, `created[gte]`-style
 * ranges and `expand[]` / `expand[0]` arrays (stripe-node sends indexed brackets).
 */
import { invalidParam } from './errors.ts';

/** Cursor pagination parameters of every list endpoint. */
export interface ListParams {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

/** A numeric range filter; each bound present only when given. */
export interface RangeFilter {
  eq?: number;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

export function listParams(query: URLSearchParams): ListParams {
  const raw = query.get('limit');
  let limit = DEFAULT_LIMIT;
  if (raw !== null) {
    limit = integer('limit', raw);
    if (limit < 1 || limit > MAX_LIMIT) throw invalidParam('limit', `Invalid limit: must be between 1 and ${MAX_LIMIT}`);
  }
  const startingAfter = query.get('starting_after') || undefined;
  const endingBefore = query.get('ending_before') || undefined;
  if (startingAfter && endingBefore) {
    throw invalidParam('ending_before', 'You may only specify one of these parameters: ending_before, starting_after.');
  }
  return { limit, ...(startingAfter ? { startingAfter } : {}), ...(endingBefore ? { endingBefore } : {}) };
}

/** `name=<n>` or `name[gt|gte|lt|lte]=<n>`; undefined when none is given. */
export function rangeFilter(query: URLSearchParams, name: string): RangeFilter | undefined {
  const filter: RangeFilter = {};
  const exact = query.get(name);
  if (exact !== null) filter.eq = integer(name, exact);
  for (const bound of ['gt', 'gte', 'lt', 'lte'] as const) {
    const raw = query.get(`${name}[${bound}]`);
    if (raw !== null) filter[bound] = integer(`${name}[${bound}]`, raw);
  }
  return Object.keys(filter).length > 0 ? filter : undefined;
}

export function inRange(value: number, filter: RangeFilter | undefined): boolean {
  if (!filter) return true;
  return (
    (filter.eq === undefined || value === filter.eq) &&
    (filter.gt === undefined || value > filter.gt) &&
    (filter.gte === undefined || value >= filter.gte) &&
    (filter.lt === undefined || value < filter.lt) &&
    (filter.lte === undefined || value <= filter.lte)
  );
}

/** Every `expand[]`, `expand[<n>]` (in index order) and plain `expand` value. */
export function expandPaths(query: URLSearchParams): string[] {
  const indexed: Array<[number, string]> = [];
  const plain: string[] = [];
  for (const [key, value] of query) {
    const index = /^expand\[(\d*)\]$/.exec(key)?.[1];
    if (index) indexed.push([Number(index), value]);
    else if (index === '' || key === 'expand') plain.push(value);
  }
  indexed.sort((a, b) => a[0] - b[0]);
  return [...indexed.map(([, value]) => value), ...plain];
}

function integer(param: string, raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw invalidParam(param, `Invalid integer: ${raw}`, 'parameter_invalid_integer');
  return Number(raw);
}
