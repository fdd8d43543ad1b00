/** Resolvers of the analytics subgraph: the Date scalar, checked ranges and pages, then loaders. */
import { DateScalar, dayRange, type DateArgument } from '../kit/calendar-day.ts';
import type { SubgraphContext } from '../kit/context.ts';
import { pageWindow, toConnection } from '../kit/pagination.ts';
import type { TrafficPeriod } from './connector.ts';
import type { AnalyticsLoaders } from './loaders.ts';

type Context = SubgraphContext<AnalyticsLoaders>;

/** Longest range of a report, both days included (a leap year). */
export const MAX_REPORT_DAYS = 366;
/** Cursors of topPages carry the offset into GA4's ordered rows. */
const CURSOR_SCOPE = 'pages';

export const analyticsResolvers = {
  Date: DateScalar,
  Query: {
    webTraffic(_: unknown, args: { from: DateArgument; to: DateArgument; by?: TrafficPeriod | null }, { loaders }: Context) {
      const { from, to } = dayRange(args, MAX_REPORT_DAYS);
      return loaders.traffic.load({ from, to, by: args.by ?? 'DAY' });
    },
    async topPages(_: unknown, args: { from: DateArgument; to: DateArgument; first?: number | null; after?: string | null }, { loaders }: Context) {
      const { from, to } = dayRange(args, MAX_REPORT_DAYS);
      const { offset, limit } = pageWindow(args, CURSOR_SCOPE);
      const found = await loaders.topPages.load({ from, to, offset, limit });
      return toConnection(found?.pages ?? [], offset, found?.total ?? 0, CURSOR_SCOPE);
    },
  },
};
