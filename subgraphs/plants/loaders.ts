/**
 * The plants subgraph's reads, batched per request and cached across requests.
 * List pages are cached as ids (plants are cached once, by id), under a generation number
 * that a change webhook bumps, so a status change can never leave a stale filtered list.
 */
import type DataLoader from 'dataloader';
import { cacheGeneration, type CacheGeneration, type EntryCache } from '../kit/cache.ts';
import { cachedBatchLoader } from '../kit/loaders.ts';
import type { Upstream } from '../kit/upstream.ts';
import { PLANT_API_MAX_IDS, type Page, type Plant, type PlantApi, type PlantStatus, type Reading } from './connector.ts';

export interface PlantLoaders {
  plant: DataLoader<string, Plant | null>;
  /** One upstream page (PLANT_API_PAGE_SIZE plants) of the list, as ids and total. */
  listPage(page: number, status: PlantStatus | undefined): Promise<{ ids: string[]; total: number }>;
  readings(plantId: string, query: { from: string; to: string; page: number }): Promise<Page<Reading>>;
}


export class PlantData {
  readonly #api: PlantApi;
  readonly #upstream: Upstream;
  readonly #lists: CacheGeneration;

  readonly #onFetched: (plants: readonly Plant[]) => void;

  /** onFetched hears every plant fresh from the Plant API (status transitions are found there). */
  constructor(api: PlantApi, upstream: Upstream, cache: EntryCache, onFetched: (plants: readonly Plant[]) => void = () => {}) {
    this.#api = api;
    this.#upstream = upstream;
    this.#lists = cacheGeneration(cache, 'plant-lists');
    this.#onFetched = onFetched;
  }

  createLoaders(): PlantLoaders {
    const plant = cachedBatchLoader<Plant>(
      this.#upstream,
      'plant',
      async (ids, signal) => {
        const found = await this.#api.plantsByIds(ids, signal);
        this.#onFetched(found);
        return new Map(found.map((plant) => [plant.id, plant]));
      },
      { maxBatchSize: PLANT_API_MAX_IDS },
    );
    return {
      plant,
      listPage: async (page, status) => {
        const generation = await this.#lists.current();
        return this.#upstream.read(`plants:${generation}:${status ?? 'ALL'}:${page}`, async (signal) => {
          const { items, total } = await this.#api.listPlants({ page, status }, signal);
          this.#onFetched(items);
          await Promise.all(items.map((item) => this.#upstream.prime(`plant:${item.id}`, item)));
          for (const item of items) plant.prime(item.id, item);
          return { ids: items.map((item) => item.id), total };
        });
      },
      readings: (plantId, query) =>
        this.#upstream.read(`readings:${plantId}:${query.from}:${query.to}:${query.page}`, (signal) => this.#api.readings(plantId, query, signal)),
    };
  }

  /** Forgets a changed plant and every cached list page, then fetches it afresh. */
  async refreshPlant(id: string): Promise<void> {
    await this.#upstream.invalidate(`plant:${id}`);
    await this.#lists.bump();
    await this.createLoaders().plant.load(id).catch(() => undefined);
  }
}
