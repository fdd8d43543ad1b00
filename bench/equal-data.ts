/**
 * Before anything is measured, every gateway must answer every operation with the same
 * `data` as ours: a faster gateway that answers something else is not a comparison. The
 * first difference is named by its path, with both values, and the bench stops.
 */
import { isDeepStrictEqual } from 'node:util';

/** Thrown when a gateway's data differs from our gateway's, or either has none. */
export class AnswersDiffer extends Error {}

/** The path of the first place where `actual` differs from `expected` (undefined: equal). */
export function firstDifference(expected: unknown, actual: unknown, at = 'data'): string | undefined {
  if (isDeepStrictEqual(expected, actual)) return undefined;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return `${at}.length`;
    for (let i = 0; i < expected.length; i += 1) {
      const found = firstDifference(expected[i], actual[i], `${at}[${i}]`);
      if (found) return found;
    }
  }
  if (isRecord(expected) && isRecord(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const found = firstDifference(expected[key], actual[key], `${at}.${key}`);
      if (found) return found;
    }
  }
  return at;
}

export interface Answer {
  /** The gateway that gave it. */
  readonly gateway: string;
  readonly status: number;
  readonly body: { data?: unknown; errors?: unknown };
}

/** Throws AnswersDiffer unless every other answer carries the reference's data (which must have some). */
export function assertEqualData(operation: string, reference: Answer, others: readonly Answer[]): void {
  const describe = (answer: Answer) => `${answer.gateway} (HTTP ${answer.status}${answer.body.errors ? `, errors ${JSON.stringify(answer.body.errors).slice(0, 300)}` : ''})`;
  if (reference.body.data === undefined || reference.body.data === null) {
    throw new AnswersDiffer(`${operation}: ${describe(reference)} answered no data, nothing to compare against`);
  }
  for (const other of others) {
    const at = firstDifference(reference.body.data, other.body.data);
    if (at === undefined) continue;
    const value = (answer: Answer) => JSON.stringify(valueAt(answer.body.data, at.replace(/^data/, '')))?.slice(0, 200);
    throw new AnswersDiffer(
      `${operation}: ${describe(other)} answers other data than ${reference.gateway} at ${at}: ${value(other)} instead of ${value(reference)}`,
    );
  }
}

function valueAt(data: unknown, path: string): unknown {
  let value = data;
  for (const part of path.match(/[^.[\]]+/g) ?? []) value = part === 'length' && Array.isArray(value) ? value.length : isRecord(value) || Array.isArray(value) ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
