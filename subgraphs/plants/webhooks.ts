/**
 * The Plant API's change webhook: a valid signature invalidates the plant at once; a bad
 * or stale one is refused with 401, audited, and changes nothing.
 */
import type { AuditSink } from '../kit/context.ts';
import type { PlainRoute } from '../kit/http-server.ts';
import { verifyWebhook } from '../kit/webhook-signature.ts';

export const PLANT_WEBHOOK_PATH = '/webhooks/plant-api';

export interface PlantChange {
  plantId: string;
  at: string;
}

export function plantWebhookRoute(options: {
  secrets: readonly string[];
  audit: AuditSink;
  service: string;
  onChange: (change: PlantChange) => Promise<void>;
}): PlainRoute {
  return {
    method: 'POST',
    path: PLANT_WEBHOOK_PATH,
    async handle(request) {
      const header = request.headers['x-plant-signature'];
      const verdict = verifyWebhook(Array.isArray(header) ? header[0] : header, request.body, options.secrets);
      if (verdict !== 'valid') {
        options.audit.emit({
          type: 'WEBHOOK_REJECTED',
          actor: 'plant-api',
          service: options.service,
          action: 'receive plant webhook',
          outcome: 'DENIED',
          details: { reason: verdict },
        });
        return { status: 401, body: { error: { code: 'invalid_signature', message: `Signature ${verdict}.` } } };
      }
      const event = parseEvent(request.body);
      if (!event) return { status: 400, body: { error: { code: 'bad_request', message: 'Expected {event:"plant.updated", plant_id, at}.' } } };
      await options.onChange(event);
      return { status: 200, body: { received: true } };
    },
  };
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
