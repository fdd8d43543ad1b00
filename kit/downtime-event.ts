/** Downtime alerts, as the plants subgraph publishes them and the gateway pushes them. */
export const DOWNTIME_CHANNEL = 'plant-downtime';

/** What an alert says; the gateway's schema describes each (gateway/subscriptions/schema.ts). */
export const DOWNTIME_KINDS = ['API_DOWN', 'API_RESTORED', 'PLANT_OFFLINE', 'PLANT_ONLINE', 'PLANT_DEGRADED', 'PLANT_MAINTENANCE'] as const;
export type DowntimeKind = (typeof DOWNTIME_KINDS)[number];

export type PlantDowntimeKind = Exclude<DowntimeKind, 'API_DOWN' | 'API_RESTORED'>;

/** The alert for a plant that changed to a status. */
export function plantKindFor(status: 'ONLINE' | 'DEGRADED' | 'OFFLINE' | 'MAINTENANCE'): PlantDowntimeKind {
  return ({ ONLINE: 'PLANT_ONLINE', DEGRADED: 'PLANT_DEGRADED', OFFLINE: 'PLANT_OFFLINE', MAINTENANCE: 'PLANT_MAINTENANCE' } as const)[status];
}

export interface DowntimeEvent {
  /** The same for the same transition wherever it was seen (plants), so receivers keep one. */
  id: string;
  kind: DowntimeKind;
  /** ISO 8601 time of the transition. */
  at: string;
  message: string;
  /** Null for the API-wide kinds. */
  plantId: string | null;
}

export function isDowntimeEvent(value: unknown): value is DowntimeEvent {
  const event = value as Partial<DowntimeEvent> | null;
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof event.id === 'string' &&
    (DOWNTIME_KINDS as readonly string[]).includes(String(event.kind)) &&
    typeof event.at === 'string' &&
    typeof event.message === 'string' &&
    (event.plantId === null || typeof event.plantId === 'string')
  );
}
