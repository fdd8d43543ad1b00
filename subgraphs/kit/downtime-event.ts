/** Downtime alerts, as the plants subgraph publishes them and the gateway pushes them. */
export const DOWNTIME_CHANNEL = 'plant-downtime';

export const DOWNTIME_KINDS = ['API_DOWN', 'API_RESTORED', 'PLANT_OFFLINE', 'PLANT_ONLINE'] as const;
export type DowntimeKind = (typeof DOWNTIME_KINDS)[number];

export interface DowntimeEvent {
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
