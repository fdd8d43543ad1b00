/**
 * Stripe's cursor pagination over a newest-first collection: `starting_after` continues
 * towards older objects, `ending_before` goes back towards newer ones, and `has_more` says
 * whether the walk in that direction can go on.
 */
import type { SandboxList } from './objects.ts';
import { resourceMissing } from './errors.ts';
import type { ListParams } from './query-params.ts';

/** What list pagination needs of an object. */
export interface Listable {
  id: string;
  created: number;
}

/** Newest first; equal timestamps ordered by id so pages never overlap or skip. */
export function newestFirst(a: Listable, b: Listable): number {
  return b.created - a.created || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * One page of `matching` (the filtered objects). A cursor must name an object of the whole
 * collection `all` (Stripe answers resource_missing otherwise), but it need not match the
 * filters: its position in the order is what counts.
 */
export function listPage<T extends Listable>(
  matching: readonly T[],
  all: readonly Listable[],
  params: ListParams,
  { url, noun }: { url: string; noun: string },
): SandboxList<T> {
  const sorted = [...matching].sort(newestFirst);
  const cursorId = params.startingAfter ?? params.endingBefore;
  if (cursorId === undefined) return list(sorted.slice(0, params.limit), sorted.length > params.limit, url);

  const cursor = all.find((candidate) => candidate.id === cursorId);
  const param = params.startingAfter !== undefined ? 'starting_after' : 'ending_before';
  if (!cursor) throw resourceMissing(noun, cursorId, param);

  if (params.startingAfter !== undefined) {
    const older = sorted.filter((item) => newestFirst(cursor, item) < 0);
    return list(older.slice(0, params.limit), older.length > params.limit, url);
  }
  // The page just before the cursor: the `limit` newer objects closest to it, still newest first.
  const newer = sorted.filter((item) => newestFirst(item, cursor) < 0);
  return list(newer.slice(-params.limit), newer.length > params.limit, url);
}

function list<T>(data: T[], hasMore: boolean, url: string): SandboxList<T> {
  return { object: 'list', data, has_more: hasMore, url };
}
