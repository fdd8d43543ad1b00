/**
 * Relay-style connections (first/after, pageInfo, totalCount) with opaque offset cursors,
 * and the one place that checks page arguments.
 */
import { badUserInput } from './errors.ts';

export const MAX_PAGE_SIZE = 50;

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** Checks a page size; BAD_USER_INPUT outside 1..50. */
export function checkPageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}, got ${first}.`, 'first');
  }
  return first;
}

/** A page request: how many, starting at which offset. Throws BAD_USER_INPUT when out of range. */
export function pageWindow(args: { first?: number | null; after?: string | null }, scope: string): { offset: number; limit: number } {
  const limit = checkPageSize(args.first ?? MAX_PAGE_SIZE);
  const offset = args.after ? decodeCursor(args.after, scope) + 1 : 0;
  return { offset, limit };
}

export function encodeCursor(scope: string, offset: number): string {
  return Buffer.from(`${scope}:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string, scope: string): number {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = new RegExp(`^${scope}:(\\d{1,9})$`).exec(decoded);
  if (!match?.[1]) throw badUserInput('after is not a cursor this field returned.', 'after');
  return Number(match[1]);
}

export function toConnection<T>(nodes: readonly T[], offset: number, totalCount: number, scope: string): Connection<T> {
  const edges = nodes.map((node, i) => ({ cursor: encodeCursor(scope, offset + i), node }));
  return {
    edges,
    pageInfo: { hasNextPage: offset + nodes.length < totalCount, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}

/**
 * Which fixed-size upstream pages cover items [offset, offset + limit): an offset window
 * rarely lines up with the upstream's pages, so it may span two.
 */
export function upstreamPages(offset: number, limit: number, pageSize: number): number[] {
  const first = Math.floor(offset / pageSize) + 1;
  const last = Math.floor((offset + limit - 1) / pageSize) + 1;
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
