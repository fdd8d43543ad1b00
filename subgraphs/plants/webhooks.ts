/**
 * The Plant API's change webhook: a valid signature invalidates the plant at once; a bad
 * or stale one is refused with 401, audited, and changes nothing (kit/webhook-route.ts).
 */
import type { PlainRoute } from '../../kit/http-server.ts';
import { signedWebhookRoute } from '../kit/webhook-route.ts';
import { PLANT_WEBHOOK_PATH } from './settings.ts';

export { PLANT_WEBHOOK_PATH };

export interface PlantChange {
  plantId: string;
  at: string;
}

export function plantWebhookRoute(options: {
  secrets: readonly string[];
  service: string;
  onChange: (change: PlantChange) => Promise<void>;
}): PlainRoute {
  return signedWebhookRoute({
    path: PLANT_WEBHOOK_PATH,
    signatureHeader: 'x-plant-signature',
    secrets: options.secrets,
    sender: 'plant-api',
    service: options.service,
    parse: parseEvent,
    expected: '{event:"plant.updated", plant_id, at}',
    onEvent: options.onChange,
  });
}

function parseEvent(body: string): PlantChange | undefined {
  try {
    const parsed = JSON.parse(body) as { event?: unknown; plant_id?: unknown; at?: unknown };
    if (parsed.event !== 'plant.updated' || typeof parsed.plant_id !== 'string' || !parsed.plant_id) return undefined;
    return { plantId: parsed.plant_id, at: typeof parsed.at === 'string' ? parsed.at : new Date().toISOString() };
  } catch {
    return undefined;
  }
}
