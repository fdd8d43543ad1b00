/**
 * Detects downtime transitions and publishes each once: the Plant API going down or coming
 * back (from its health signal), and a plant changing status (from every fresh answer of
 * the Plant API, which a change webhook triggers at once). With several replicas, the
 * shared state decides which one publishes. While Redis is away, this replica decides from
 * what it last knew, tells its own subscribers at once, and the others once Redis is back
 * (unless another replica told them the same meanwhile).
 */
import { randomUUID } from 'node:crypto';
import type { AuditSink } from '../kit/context.ts';
import { DOWNTIME_CHANNEL, plantKindFor, type DowntimeEvent, type DowntimeKind, type PlantDowntimeKind } from '../../kit/downtime-event.ts';
import type { HealthState } from '../../kit/health.ts';
import { logger } from '../../kit/logger.ts';
import { metrics } from '../../kit/metrics.ts';
import type { PubSub } from '../../kit/pubsub.ts';
import type { SharedState } from '../kit/shared-state.ts';
import { stableId } from '../kit/stable-id.ts';
import type { Plant } from './connector.ts';

const API_HEALTH_KEY = 'plant-api:health';

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
   * `since` is when the observation behind the state began (kit/health.ts), so a replica whose
   * probe lagged behind the others' cannot announce an old transition again. The first
   * observation after start counts too: the shared state may still say "down"
   * from before (another replica's view, or this one's before a restart).
   */
  async apiHealthChanged({ up, since }: HealthState): Promise<void> {
    const now = up ? 'up' : 'down';
    const { previous, shared, outdated } = await this.#state.swap(API_HEALTH_KEY, now, since);
    if (outdated || previous === now || (previous === undefined && up)) return;
    const at = since.toISOString();
    const kind: DowntimeKind = up ? 'API_RESTORED' : 'API_DOWN';
    await this.#publish(
      {
        id: randomUUID(),
        kind,
        at,
        message: up ? `The Plant API is back; plant data is live again.` : `The Plant API is down since ${at}; plant data may be out of date.`,
        plantId: null,
      },
      { key: API_HEALTH_KEY, value: now, decidedLocally: !shared },
    );
  }

  /** Compares fresh plants with their last known status. */
  async plantsSeen(plants: readonly Plant[]): Promise<void> {
    await Promise.all(plants.map((plant) => this.#plantSeen(plant)));
  }

  async #plantSeen(plant: Plant): Promise<void> {
    const key = `plant:${plant.id}:status`;
    // Ordered by the Plant API's own change time: an answer fetched before the change is no news after it.
    const { previous, shared, outdated } = await this.#state.swap(key, plant.status, new Date(plant.updatedAt));
    if (outdated || previous === undefined || previous === plant.status) return;
    // The same id wherever the change is seen, so the audit log keeps it once.
    this.#audit.emit({
      id: stableId('plant-status', plant.id, previous, plant.status, plant.updatedAt),
      type: 'PLANT_STATUS_CHANGED',
      actor: 'plant-api',
      service: this.#service,
      entityType: 'Plant',
      entityId: plant.id,
      action: `status ${previous} -> ${plant.status}`,
      outcome: 'SUCCESS',
      details: { from: previous, to: plant.status },
    });
    const kind = plantKindFor(plant.status);
    await this.#publish(
      {
        id: stableId('plant-downtime', kind, plant.id, plant.updatedAt),
        kind,
        at: plant.updatedAt,
        message: PLANT_MESSAGES[kind](plant.name),
        plantId: plant.id,
      },
      { key, value: plant.status, decidedLocally: !shared },
    );
  }

  /**
   * Publishes an event and records it as announced (`<key>:announced`, a key only this does
   * set). One decided without Redis goes out late to other replicas only if no replica has
   * announced the same state since.
   */
  async #publish(event: DowntimeEvent, transition: { key: string; value: string; decidedLocally: boolean }): Promise<void> {
    const announced = `${transition.key}:announced`;
    const stillNews = () => this.#state.claim(announced, transition.value);
    try {
      if (!transition.decidedLocally) void stillNews().catch(() => undefined);
      await this.#pubsub.publish(DOWNTIME_CHANNEL, event, transition.decidedLocally ? { stillNews } : {});
      metrics.countAlertPublished(event.kind);
    } catch (error) {
      logger.error('downtime alert not published', { kind: event.kind, error: (error as Error).message });
    }
  }
}

const PLANT_MESSAGES: Record<PlantDowntimeKind, (name: string) => string> = {
  PLANT_OFFLINE: (name) => `${name} went offline.`,
  PLANT_ONLINE: (name) => `${name} is back online.`,
  PLANT_DEGRADED: (name) => `${name} is degraded.`,
  PLANT_MAINTENANCE: (name) => `${name} is in maintenance.`,
};
