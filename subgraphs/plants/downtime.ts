/**
 * Detects downtime transitions and publishes each once: the Plant API going down or coming
 * back (from its health signal), and a plant going offline or back online (from every fresh
 * answer of the Plant API, which a change webhook triggers at once). With several replicas,
 * the shared state decides which one publishes.
 */
import { randomUUID } from 'node:crypto';
import type { AuditSink } from '../kit/context.ts';
import { DOWNTIME_CHANNEL, type DowntimeEvent, type DowntimeKind } from '../kit/downtime-event.ts';
import type { HealthState } from '../kit/health.ts';
import { logger } from '../kit/logger.ts';
import { metrics } from '../kit/metrics.ts';
import type { PubSub } from '../kit/pubsub.ts';
import type { SharedState } from '../kit/shared-state.ts';
import type { Plant } from './connector.ts';

export class DowntimeWatcher {
  readonly #pubsub: PubSub;
  readonly #state: SharedState;
  readonly #audit: AuditSink;
  readonly #service: string;

  constructor(options: { pubsub: PubSub; state: SharedState; audit: AuditSink; service: string }) {
    this.#pubsub = options.pubsub;
    this.#state = options.state;
    this.#audit = options.audit;
    this.#service = options.service;
  }

  /**
   * The first observation after start counts too: the shared state may still say "down"
   * from before (another replica's view, or this one's before a restart).
   */
  async apiHealthChanged({ up, since }: HealthState): Promise<void> {
    const now = up ? 'up' : 'down';
    const previous = await this.#state.swap('plant-api:health', now);
    if (previous === now || (previous === undefined && up)) return;
    const at = since.toISOString();
    await this.#publish({
      kind: up ? 'API_RESTORED' : 'API_DOWN',
      at,
      message: up ? `The Plant API is back; plant data is live again.` : `The Plant API is down since ${at}; plant data may be out of date.`,
      plantId: null,
    });
  }

  /** Compares fresh plants with their last known status. */
  async plantsSeen(plants: readonly Plant[]): Promise<void> {
    await Promise.all(plants.map((plant) => this.#plantSeen(plant)));
  }

  async #plantSeen(plant: Plant): Promise<void> {
    const previous = await this.#state.swap(`plant:${plant.id}:status`, plant.status);
    if (previous === undefined || previous === plant.status) return;
    this.#audit.emit({
      type: 'PLANT_STATUS_CHANGED',
      actor: 'plant-api',
      service: this.#service,
      entityType: 'Plant',
      entityId: plant.id,
      action: `status ${previous} -> ${plant.status}`,
      outcome: 'SUCCESS',
      details: { from: previous, to: plant.status },
    });
    const kind: DowntimeKind | undefined = plant.status === 'OFFLINE' ? 'PLANT_OFFLINE' : previous === 'OFFLINE' ? 'PLANT_ONLINE' : undefined;
    if (!kind) return;
    await this.#publish({
      kind,
      at: plant.updatedAt,
      message: kind === 'PLANT_OFFLINE' ? `${plant.name} went offline.` : `${plant.name} is back (${plant.status.toLowerCase()}).`,
      plantId: plant.id,
    });
  }

  async #publish(event: Omit<DowntimeEvent, 'id'>): Promise<void> {
    try {
      await this.#pubsub.publish(DOWNTIME_CHANNEL, { id: randomUUID(), ...event } satisfies DowntimeEvent);
      metrics.countAlertPublished(event.kind);
    } catch (error) {
      logger.error('downtime alert not published', { kind: event.kind, error: (error as Error).message });
    }
  }
}
