/** Resolvers of the email-stats subgraph: the Date scalar, checked ranges, then loaders. */
import { calendarDay, checkDayOrder, DateScalar, dayRange, dayTime, type DateArgument } from '../kit/calendar-day.ts';
import type { SubgraphContext } from '../kit/context.ts';
import { badUserInput } from '../../kit/errors.ts';
import { cursorWindow, toCursorConnection } from '../kit/pagination.ts';
import type { Aggregation, Bounce, StatsBucket } from './connector.ts';
import type { EmailLoaders } from './loaders.ts';

type Context = SubgraphContext<EmailLoaders>;

/** Longest emailStats range, both days included (a leap year). */
export const MAX_STATS_DAYS = 366;
const DAY_MS = 86_400_000;

export const emailResolvers = {
  Date: DateScalar,
  Query: {
    emailStats(_: unknown, args: { from: DateArgument; to: DateArgument; aggregatedBy?: Aggregation | null }, { loaders }: Context) {
      const { from, to } = dayRange(args, MAX_STATS_DAYS);
      return loaders.stats({ from, to, aggregatedBy: args.aggregatedBy ?? 'DAY' });
    },
    async emailBounces(
      _: unknown,
      args: { first?: number | null; after?: string | null; from?: DateArgument | null; to?: DateArgument | null },
      { loaders }: Context,
    ) {
      const { limit, after } = cursorWindow(args, 'bounces');
      if (after !== undefined && !/^\d{1,9}$/.test(after)) throw badUserInput('after is not a cursor this field returned.', 'after');
      const from = args.from ? calendarDay(args.from, 'from') : undefined;
      const to = args.to ? calendarDay(args.to, 'to') : undefined;
      if (from && to) checkDayOrder(from, to);
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
