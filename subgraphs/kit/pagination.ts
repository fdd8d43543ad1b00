/**
 * Relay-style connections (first/after, pageInfo) and the one place that checks page
 * arguments. Two cursor kinds: offsets into a counted list (`pageWindow`, `toConnection`,
 * with totalCount), and keys for upstreams that page by a cursor of their own or cannot
 * count (`cursorWindow`, `toCursorConnection`: Stripe's starting_after, SendGrid's offset).
 */
import { badUserInput } from '../../kit/errors.ts';

export const MAX_PAGE_SIZE = 50;

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** A page request: how many, starting at which offset. Throws BAD_USER_INPUT when out of range. */
export function pageWindow(args: { first?: number | null; after?: string | null }, scope: string): { offset: number; limit: number } {
  const limit = pageSize(args.first);
  const offset = args.after ? decodeCursor(args.after, scope) + 1 : 0;
  return { offset, limit };
}

/** `first`, checked: 1..MAX_PAGE_SIZE (MAX_PAGE_SIZE when absent). Throws BAD_USER_INPUT otherwise. */
export function pageSize(first: number | null | undefined): number {
  const limit = first ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}, got ${limit}.`, 'first');
  }
  return limit;
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

/** A connection without a total, for upstreams that do not count. */
export interface CursorConnection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * A page request by key: how many, and the key of the last item already seen (an upstream
 * object id, or an offset as text). Throws BAD_USER_INPUT when out of range or not a cursor
 * of this scope.
 */
export function cursorWindow(args: { first?: number | null; after?: string | null }, scope: string): { limit: number; after: string | undefined } {
  const limit = pageSize(args.first);
  if (!args.after) return { limit, after: undefined };
  const decoded = Buffer.from(args.after, 'base64url').toString('utf8');
  const key = decoded.startsWith(`${scope}:`) ? decoded.slice(scope.length + 1) : '';
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(key)) throw badUserInput('after is not a cursor this field returned.', 'after');
  return { limit, after: key };
}

/** Edges whose cursors carry each node's key; the upstream says whether more follow. */
export function toCursorConnection<T>(nodes: readonly T[], hasNextPage: boolean, scope: string, keyOf: (node: T, index: number) => string): CursorConnection<T> {
  const edges = nodes.map((node, i) => ({ cursor: Buffer.from(`${scope}:${keyOf(node, i)}`).toString('base64url'), node }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
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
