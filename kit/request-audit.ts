/**
 * What one request audits: each event once (a denial of a field is one event, however many
 * entities it was denied on), and plain reads of sensitive values as one SENSITIVE_READ
 * per entity with every field read in its details, emitted when the request ends. An ADMIN
 * reading 50 plants' email and phone writes 50 events, not 100.
 */
import type { AuditEventInput } from './audit-event.ts';
import type { Caller } from './auth.ts';

export interface AuditSink {
  emit(event: AuditEventInput): void;
  /** Resolves when what was emitted is handed over: in Redis, or on disk in the outbox. */
  flush?(withinMs?: number): Promise<void>;
}

/**
 * How long an answer waits for its audit events to be handed over. A process killed right
 * after answering loses nothing it audited; a Redis that does not answer in time costs the
 * answer this much, and the events go to the outbox on disk instead.
 */
export const HAND_OVER_WITHIN_MS = 200;

/** Waits until the events emitted so far are handed over (see HAND_OVER_WITHIN_MS); never throws. */
export async function handOver(sink: AuditSink): Promise<void> {
  await sink.flush?.(HAND_OVER_WITHIN_MS).catch(() => undefined);
}

/**
 * A sink that writes what a request audits as its caller also as each other caller it
 * answers for (`Caller.alsoFor`, a grouped alert fan-out): each with its own actor and
 * request id, as if its own request had run. Events naming anyone else are written once.
 */
export function recipientsSink(sink: AuditSink, caller: Pick<Caller, 'subject' | 'alsoFor'> | undefined): AuditSink {
  const others = caller?.alsoFor;
  if (!caller || !others?.length) return sink;
  return {
    ...(sink.flush ? { flush: (withinMs?: number) => sink.flush!(withinMs) } : {}),
    emit(event) {
      sink.emit(event);
      if (event.actor !== caller.subject) return;
      for (const { subject, requestId } of others) sink.emit({ ...event, actor: subject, details: { ...event.details, requestId } });
    },
  };
}

interface SensitiveEntity {
  type: string | null;
  id: string | null;
  fields: Set<string>;
}

export class RequestAudit {
  readonly #sink: AuditSink;
  readonly #actor: string;
  readonly #service: string;
  readonly #emitted = new Set<string>();
  readonly #sensitive = new Map<string, SensitiveEntity>();
  /** Every event this request emitted, for the gateway's response cache to write again. */
  readonly #written: AuditEventInput[] = [];

  constructor(sink: AuditSink, actor: string, service: string) {
    this.#sink = sink;
    this.#actor = actor;
    this.#service = service;
  }

  /** Emits the event unless one with this key was emitted in this request. */
  once(key: string, event: AuditEventInput): void {
    if (this.#emitted.has(key)) return;
    this.#emitted.add(key);
    this.#written.push(event);
    this.#sink.emit(event);
  }

  /** Notes a plain read of a sensitive field of an entity (audited at `end`). */
  sensitiveRead(owner: { type: string; id: string } | undefined, coordinate: string): void {
    const key = `${owner?.type}:${owner?.id}`;
    let entity = this.#sensitive.get(key);
    if (!entity) {
      entity = { type: owner?.type ?? null, id: owner?.id ?? null, fields: new Set() };
      this.#sensitive.set(key, entity);
    }
    entity.fields.add(coordinate);
  }

  /**
   * The request is over: one SENSITIVE_READ per entity read. Resolves once what the request
   * audited is handed over, so the answer leaves after its audit trail is safe, with every
   * event the request wrote (the gateway's response cache writes them again on a hit).
   */
  async end(): Promise<AuditEventInput[]> {
    for (const { type, id, fields } of this.#sensitive.values()) {
      const read = [...fields].sort();
      const event: AuditEventInput = {
        type: 'SENSITIVE_READ',
        actor: this.#actor,
        service: this.#service,
        entityType: type,
        entityId: id,
        action: `read ${read.join(', ')}`,
        outcome: 'SUCCESS',
        details: { fields: read },
      };
      this.#sink.emit(event);
      this.#written.push(event);
    }
    this.#sensitive.clear();
    if (this.#written.length > 0) await handOver(this.#sink);
    return [...this.#written];
  }
}
