/** The sandbox's mutable copy of the plants, restorable to the seed. */
import { seedPlants } from './data.ts';
import type { Plant, PlantStatus } from './wire-format.ts';

/** Plants by id, seeded at construction and on reset. */
export class PlantStore {
  #plants = new Map<string, Plant>();

  constructor() {
    this.reset();
  }

  /** Every plant in id order. */
  all(): Plant[] {
    return [...this.#plants.values()];
  }

  get(id: string): Plant | undefined {
    return this.#plants.get(id);
  }

  /** Changes a plant's status and stamps updated_at; undefined for an unknown id. */
  setStatus(id: string, status: PlantStatus, at: Date = new Date()): Plant | undefined {
    const plant = this.#plants.get(id);
    if (!plant) return undefined;
    plant.status = status;
    plant.updated_at = at.toISOString();
    return plant;
  }

  /** Back to the seed data. */
  reset(): void {
    this.#plants = new Map(seedPlants().map((plant) => [plant.id, plant]));
  }
}
