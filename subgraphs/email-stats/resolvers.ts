/** Resolvers of the email-stats subgraph: the Date scalar, checked ranges, then loaders. */
import { GraphQLScalarType, Kind } from 'graphql';
import type { SubgraphContext } from '../kit/context.ts';
import { badUserInput } from '../kit/errors.ts';
import { cursorWindow, toCursorConnection } from '../kit/pagination.ts';
import type { Aggregation, Bounce, StatsBucket } from './connector.ts';
import type { EmailLoaders } from './loaders.ts';

type Context = SubgraphContext<EmailLoaders>;

/** Longest emailStats range, both days included (a leap year). */
export const MAX_STATS_DAYS = 366;
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
function day(value: DateArgument, argument: string): string {
  if (typeof value === 'string') return value;
  const raw = value.invalidDate;
  throw badUserInput(`${argument} must be a calendar day as YYYY-MM-DD, got ${JSON.stringify(typeof raw === 'string' ? raw.slice(0, 40) : raw ?? null)}.`, argument);
}

const dayTime = (date: string) => Date.parse(`${date}T00:00:00Z`);

function checkOrder(from: string, to: string): void {
  if (dayTime(from) > dayTime(to)) throw badUserInput('from must not be after to.', 'from');
}

export const emailResolvers = {
  Date: DateScalar,
  Query: {
    emailStats(_: unknown, args: { from: DateArgument; to: DateArgument; aggregatedBy?: Aggregation | null }, { loaders }: Context) {
      const from = day(args.from, 'from');
      const to = day(args.to, 'to');
      checkOrder(from, to);
      const days = (dayTime(to) - dayTime(from)) / DAY_MS + 1;
      if (days > MAX_STATS_DAYS) throw badUserInput(`The range covers ${days} days; at most ${MAX_STATS_DAYS} are allowed.`, 'to');
      return loaders.stats({ from, to, aggregatedBy: args.aggregatedBy ?? 'DAY' });
    },
    async emailBounces(
      _: unknown,
      args: { first?: number | null; after?: string | null; from?: DateArgument | null; to?: DateArgument | null },
      { loaders }: Context,
    ) {
      const { limit, after } = cursorWindow(args, 'bounces');
      if (after !== undefined && !/^\d{1,9}$/.test(after)) throw badUserInput('after is not a cursor this field returned.', 'after');
      const from = args.from ? day(args.from, 'from') : undefined;
      const to = args.to ? day(args.to, 'to') : undefined;
      if (from && to) checkOrder(from, to);
      const offset = after === undefined ? 0 : Number(after) + 1;
      // One more than asked for tells whether another page follows (SendGrid does not count).
      const found = await loaders.bounces({
        offset,
        limit: limit + 1,
        startTime: from ? dayTime(from) / 1000 : undefined,
        endTime: to ? (dayTime(to) + DAY_MS) / 1000 - 1 : undefined,
      });
      return toCursorConnection(found.slice(0, limit), found.length > limit, 'bounces', (_bounce: Bounce, i) => String(offset + i));
    },
  },
  EmailStatsBucket: {
    deliveryRate: (bucket: StatsBucket) => ratio(bucket.delivered, bucket.requests),
    openRate: (bucket: StatsBucket) => ratio(bucket.uniqueOpens, bucket.delivered),
  },
};

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
