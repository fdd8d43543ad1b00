/** The Plant API's own routes (UPSTREAMS.md), behind client-credentials bearer tokens. */
import type { ClientCredentialsIssuer } from '../kit/client-credentials.ts';
import { json, Router, type RouteHandler } from '../kit/router.ts';
import { READINGS_WINDOW_HOURS, readingsFor } from './data.ts';
import type { PlantStore } from './plant-store.ts';
import { BadRequest, MAX_PER_PAGE, paginate, readInstant, readPaging } from './query-params.ts';
import { isPlantStatus, PLANT_STATUSES } from './wire-format.ts';

const HOUR_MS = 60 * 60 * 1000;

/** Adds `/v1/health` (open) and the token-protected `/v1/plants` routes to a router. */
export function mountPlantRoutes(router: Router, store: PlantStore, issuer: ClientCredentialsIssuer): Router {
  const authorised = (handler: RouteHandler): RouteHandler => (request) => {
    const denied = issuer.check(request);
    if (denied) return denied;
    try {
      return handler(request);
    } catch (error) {
      if (error instanceof BadRequest) return json(400, { error: { code: 'bad_request', message: error.message } });
      throw error;
    }
  };
  const notFound = (id: string) => json(404, { error: { code: 'not_found', message: `No plant with id ${id}` } });

  return router
    .on('GET', '/v1/health', () => json(200, { status: 'ok' }))
    .on(
      'GET',
      '/v1/plants',
      authorised(({ query }) => {
        const ids = query.get('ids');
        if (ids !== null) return json(200, { data: batch(store, ids) });
        const status = query.get('status');
        if (status !== null && !isPlantStatus(status)) {
          throw new BadRequest(`status must be one of ${PLANT_STATUSES.join(', ')}, got "${status}"`);
        }
        const paging = readPaging(query);
        const plants = status === null ? store.all() : store.all().filter((plant) => plant.status === status);
        return json(200, paginate(plants, paging));
      }),
    )
    .on(
      'GET',
      '/v1/plants/:id',
      authorised(({ params }) => {
        const plant = store.get(params.id ?? '');
        return plant ? json(200, plant) : notFound(params.id ?? '');
      }),
    )
    .on(
      'GET',
      '/v1/plants/:id/readings',
      authorised(({ params, query }) => {
        const plant = store.get(params.id ?? '');
        if (!plant) return notFound(params.id ?? '');
        const now = new Date();
        const from = readInstant(query, 'from', new Date(now.getTime() - READINGS_WINDOW_HOURS * HOUR_MS));
        const to = readInstant(query, 'to', now);
        if (from > to) throw new BadRequest('from must not be after to');
        const paging = readPaging(query);
        return json(200, paginate(readingsFor(plant, from, to, now), paging));
      }),
    );
}

/** The DataLoader batch form: known plants in the order asked, unknown ids left out. */
function batch(store: PlantStore, raw: string) {
  const ids = [...new Set(raw.split(',').map((id) => id.trim()).filter(Boolean))];
  if (ids.length === 0 || ids.length > MAX_PER_PAGE) throw new BadRequest(`ids must list 1 to ${MAX_PER_PAGE} plant ids, got ${ids.length}`);
  return ids.flatMap((id) => store.get(id) ?? []);
}
