/**
 * The `Date` scalar of the subgraphs (a calendar day, YYYY-MM-DD, UTC) and the checks of
 * day arguments and ranges, each failing with BAD_USER_INPUT naming the argument before
 * anything is fetched.
 */
import { GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from '../../kit/errors.ts';

const DAY_MS = 86_400_000;

/**
 * What a Date argument holds after parsing: the day, or the raw input when it was not one.
 * The scalar itself does not throw: a failed coercion would fail the subgraph's whole request
 * (HTTP 400, which the gateway can only report as a failed fetch), while the resolver's check
 * answers a field error with BAD_USER_INPUT naming the argument.
 */
export type DateArgument = string | { invalidDate: unknown };

export const DateScalar = new GraphQLScalarType<DateArgument, string>({
  name: 'Date',
  description: 'A calendar day, YYYY-MM-DD (UTC).',
  serialize: (value) => String(value),
  parseValue: (value) => (isCalendarDay(value) ? value : { invalidDate: value }),
  parseLiteral: (ast) => (ast.kind === Kind.STRING && isCalendarDay(ast.value) ? ast.value : { invalidDate: ast.kind === Kind.STRING ? ast.value : ast.kind }),
});

function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  // Round-tripping rejects days that do not exist (2026-02-30).
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** The day of a Date argument; BAD_USER_INPUT when it is not one. */
export function calendarDay(value: DateArgument, argument: string): string {
  if (typeof value === 'string') return value;
  const raw = value.invalidDate;
  throw badUserInput(`${argument} must be a calendar day as YYYY-MM-DD, got ${JSON.stringify(typeof raw === 'string' ? raw.slice(0, 40) : raw ?? null)}.`, argument);
}

/** Midnight UTC of a day, in milliseconds. */
export const dayTime = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** BAD_USER_INPUT when from is after to. */
export function checkDayOrder(from: string, to: string): void {
  if (dayTime(from) > dayTime(to)) throw badUserInput('from must not be after to.', 'from');
}

/** A from/to pair of Date arguments, checked: real days, in order, at most maxDays (both included). */
export function dayRange(args: { from: DateArgument; to: DateArgument }, maxDays: number): { from: string; to: string; days: number } {
  const from = calendarDay(args.from, 'from');
  const to = calendarDay(args.to, 'to');
  checkDayOrder(from, to);
  const days = (dayTime(to) - dayTime(from)) / DAY_MS + 1;
  if (days > maxDays) throw badUserInput(`The range covers ${days} days; at most ${maxDays} are allowed.`, 'to');
  return { from, to, days };
}
