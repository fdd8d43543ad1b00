/** Delivery of the Plant API's signed `plant.updated` webhook. */
import { signWebhook } from '../../kit/webhook-signature.ts';
import type { PlantUpdatedEvent } from './wire-format.ts';

export const SIGNATURE_HEADER = 'X-Plant-Signature';
/** A stuck subscriber must not hold the admin call for long. */
const DELIVERY_TIMEOUT_MS = 5000;

/**
 * Posts one change event to the subscriber. Never throws: a failed delivery is logged on
 * one line, because the change itself has happened either way.
 */
export async function deliverPlantWebhook(target: string, secret: string, event: PlantUpdatedEvent): Promise<boolean> {
  const body = JSON.stringify(event);
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signWebhook(secret, body) },
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.ok) return true;
    console.warn(`[plant-api] webhook ${event.event} ${event.plant_id} to ${target} answered ${response.status}`);
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    console.warn(`[plant-api] webhook ${event.event} ${event.plant_id} to ${target} failed: ${reason}`);
  }
  return false;
}
