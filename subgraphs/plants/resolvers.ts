/** Resolvers of the plants subgraph: arguments checked, then loaders, never fetch. */
import type { SubgraphContext } from '../kit/context.ts';
import { badUserInput, upstreamError } from '../../kit/errors.ts';
import type { HealthState } from '../../kit/health.ts';
import { metrics } from '../../kit/metrics.ts';
import { pageWindow, toConnection, upstreamPages } from '../kit/pagination.ts';
import { PLANT_API, PLANT_API_PAGE_SIZE, type Plant, type PlantStatus } from './connector.ts';
import type { PlantLoaders } from './loaders.ts';

type Context = SubgraphContext<PlantLoaders>;

const READINGS_DEFAULT_WINDOW_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

export function plantResolvers(status: () => HealthState) {
  return {
    Query: {
      async plants(_: unknown, args: { first?: number | null; after?: string | null; status?: PlantStatus | null }, { loaders }: Context) {
        const { offset, limit } = pageWindow(args, 'plants');
        const status = args.status ?? undefined;
        let window = await plantWindow(loaders, offset, limit, status);
        if (window.nodes.includes(null)) {
          // A plant listed but gone by the time it was fetched: the cached list is out of date.
          await loaders.forgetLists();
          window = await plantWindow(loaders, offset, limit, status);
        }
        // Every listed plant keeps its edge and cursor; one that failed is an error on its own node.
        const nodes = window.nodes.map((node, i) => node ?? upstreamError(PLANT_API, `Plant ${window.ids[i]} is listed but the Plant API no longer knows it.`));
        return toConnection(nodes, offset, window.total, 'plants');
      },
      plant(_: unknown, { id }: { id: string }, { loaders }: Context) {
        return loaders.plant.load(id);
      },
      async plantApiStatus(_: unknown, _args: unknown, { loaders }: Context) {
        // After the plants this request asked for: the first request to find the API down carries the banner.
        await loaders.settled();
        const { up, since } = status();
        const at = since.toISOString();
        // A function field: the banner counts only when the answer carries it.
        const banner = () => {
          metrics.countBannerDisplayed();
          return { message: `Plant data may be out of date since ${at}.`, since: at };
        };
        return { up, since: at, banner: up ? null : banner };
      },
    },
    Plant: {
      __resolveReference(reference: { id: string }, { loaders }: Context) {
        return loaders.plant.load(reference.id);
      },
      async readings(plant: Plant, args: { first?: number | null; after?: string | null; from?: string | null; to?: string | null }, { loaders }: Context) {
        const { offset, limit } = pageWindow(args, `readings:${plant.id}`);
        const { from, to } = readingsRange(args.from, args.to);
        const pageNumbers = upstreamPages(offset, limit, PLANT_API_PAGE_SIZE);
        const pages = await Promise.all(pageNumbers.map((page) => loaders.readings(plant.id, { from, to, page })));
        const firstPageOffset = (pageNumbers[0]! - 1) * PLANT_API_PAGE_SIZE;
        const items = pages.flatMap((page) => page.items).slice(offset - firstPageOffset, offset - firstPageOffset + limit);
        return toConnection(items, offset, pages[0]?.total ?? 0, `readings:${plant.id}`);
      },
    },
  };
}

/** The ids of plants [offset, offset + limit) of the list, and each plant (null when unknown, an Error when it failed). */
async function plantWindow(loaders: PlantLoaders, offset: number, limit: number, status: PlantStatus | undefined) {
  const pageNumbers = upstreamPages(offset, limit, PLANT_API_PAGE_SIZE);
  const pages = await Promise.all(pageNumbers.map((page) => loaders.listPage(page, status)));
  const firstPageOffset = (pageNumbers[0]! - 1) * PLANT_API_PAGE_SIZE;
  const ids = pages.flatMap((page) => page.ids).slice(offset - firstPageOffset, offset - firstPageOffset + limit);
  return { ids, total: pages[0]?.total ?? 0, nodes: await loaders.plant.loadMany(ids) };
}

/** Checks from/to; the default window ends on the next whole hour so it stays cacheable. */
function readingsRange(from: string | null | undefined, to: string | null | undefined): { from: string; to: string } {
  const end = to ? parseTime(to, 'to') : Math.ceil(Date.now() / HOUR_MS) * HOUR_MS;
  const start = from ? parseTime(from, 'from') : end - READINGS_DEFAULT_WINDOW_MS;
  if (start > end) throw badUserInput('from must not be after to.', 'from');
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

function parseTime(value: string, argument: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw badUserInput(`${argument} must be an ISO 8601 date-time, got ${JSON.stringify(value.slice(0, 40))}.`, argument);
  return time;
}
