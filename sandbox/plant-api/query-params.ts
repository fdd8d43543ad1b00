/** Strict readers for the Plant API's query parameters; a bad value throws BadRequest (400). */

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 100;

/** A client mistake the route answers with 400 bad_request. */
export class BadRequest extends Error {}

export interface Paging {
  page: number;
  per_page: number;
}

/** `page` (from 1) and `per_page` (1..100, default 50). */
export function readPaging(query: URLSearchParams): Paging {
  return {
    page: readInt(query, 'page', 1, 1, Number.MAX_SAFE_INTEGER),
    per_page: readInt(query, 'per_page', DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
  };
}

/** One page of items in the list envelope `{data, page, per_page, total}`. */
export function paginate<T>(items: readonly T[], paging: Paging): Paging & { data: T[]; total: number } {
  const start = (paging.page - 1) * paging.per_page;
  return { data: items.slice(start, start + paging.per_page), ...paging, total: items.length };
}

/** An ISO 8601 query parameter, or the fallback when absent. */
export function readInstant(query: URLSearchParams, name: string, fallback: Date): Date {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const parsed = new Date(raw);
  if (raw.trim() === '' || Number.isNaN(parsed.getTime())) throw new BadRequest(`${name} must be an ISO 8601 instant, got "${raw}"`);
  return parsed;
}

function readInt(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new BadRequest(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}
