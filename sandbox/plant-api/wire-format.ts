/** The Plant API's resources exactly as they travel on the wire (UPSTREAMS.md, "Plant API"). */

export const PLANT_STATUSES = ['ONLINE', 'DEGRADED', 'OFFLINE', 'MAINTENANCE'] as const;
export type PlantStatus = (typeof PLANT_STATUSES)[number];

export interface PlantOperator {
  name: string;
  email: string;
  phone: string;
}

export interface Plant {
  id: string;
  name: string;
  site: string;
  status: PlantStatus;
  capacity_mw: number;
  operator: PlantOperator;
  /** ISO 8601 instant of the last change. */
  updated_at: string;
}

export interface Reading {
  /** ISO 8601 instant, on a whole hour. */
  at: string;
  output_mw: number;
  temperature_c: number;
}

/** The body of the `plant.updated` change webhook. */
export interface PlantUpdatedEvent {
  event: 'plant.updated';
  plant_id: string;
  at: string;
}

export function isPlantStatus(value: unknown): value is PlantStatus {
  return typeof value === 'string' && (PLANT_STATUSES as readonly string[]).includes(value);
}
