/**
 * The plants subgraph's reads, batched per request and cached across requests.
 * List pages are cached as ids (plants are cached once, by id), under a generation number
 * that a change webhook bumps, so a status change can never leave a stale filtered list.
 */
import type DataLoader from 'dataloader';
import { cacheGeneration, type CacheGeneration, type EntryCache } from '../kit/cache.ts';
import { cachedBatchLoader } from '../kit/loaders.ts';
import { RequestWork } from '../kit/request-work.ts';
import type { Upstream } from '../kit/upstream.ts';
import { PLANT_API_MAX_IDS, type Page, type Plant, type PlantApi, type PlantStatus, type Reading } from './connector.ts';

export interface PlantLoaders {
  plant: DataLoader<string, Plant | null>;
  /** One upstream page (PLANT_API_PAGE_SIZE plants) of the list, as ids and total. */
  listPage(page: number, status: PlantStatus | undefined): Promise<{ ids: string[]; total: number }>;
  readings(plantId: string, query: { from: string; to: string; page: number }): Promise<Page<Reading>>;
  /** Drops every cached list page (a listed plant turned out to be gone). */
  forgetLists(): Promise<void>;
  /** Resolves once every Plant API read this request started has settled. */
  settled(): Promise<void>;
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
    const work = new RequestWork();
    const plant = cachedBatchLoader<Plant>(
      this.#upstream,
      'plant',
      async (ids, signal, after) => {
        const found = await this.#api.plantsByIds(ids, signal);
        after(() => this.#onFetched(found));
        return new Map(found.map((plant) => [plant.id, plant]));
      },
      { maxBatchSize: PLANT_API_MAX_IDS, work },
    );
    return {
      plant,
      listPage: (page, status) => work.track(this.#listPage(plant, page, status)),
      readings: (plantId, query) =>
        work.track(this.#upstream.read(`readings:${plantId}:${query.from}:${query.to}:${query.page}`, (signal) => this.#api.readings(plantId, query, signal))),
      forgetLists: () => this.#lists.bump(),
      settled: () => work.settled(),
    };
  }

  /** One upstream page of the list as ids (the plants are cached by id); the page primes them. */
  async #listPage(plant: PlantLoaders['plant'], page: number, status: PlantStatus | undefined): Promise<{ ids: string[]; total: number }> {
    const generation = await this.#lists.current();
    return this.#upstream.read(`plants:${generation}:${status ?? 'ALL'}:${page}`, async (signal, after) => {
      const { items, total } = await this.#api.listPlants({ page, status }, signal);
      after(() => {
        this.#onFetched(items);
        for (const item of items) plant.prime(item.id, item);
        return Promise.all(items.map((item) => this.#upstream.prime(`plant:${item.id}`, item)));
      });
      return { ids: items.map((item) => item.id), total };
    });
  }

  /** Forgets a changed plant and every cached list page, then fetches it afresh. */
  async refreshPlant(id: string): Promise<void> {
    await this.#upstream.invalidate(`plant:${id}`);
    await this.#lists.bump();
    await this.createLoaders().plant.load(id).catch(() => undefined);
  }
}
