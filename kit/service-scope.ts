/**
 * Which service, and which request, the running code works for. `npm start` runs every
 * service in one process, so metrics, log lines and spans cannot take their service from
 * the process: they take it from this async context, entered when a service starts (so its
 * timers and listeners inherit it) and again for each request it serves.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AccessRecord } from './access-record.ts';
import { ServiceTelemetry } from './service-telemetry.ts';

export interface RequestScope {
  /** The x-request-id of the request: in its answer, log lines, audit events, errors and outgoing calls. */
  readonly requestId: string;
  /** What the GraphQL layer learnt about the request, for its access line. */
  readonly access: AccessRecord;
}

export interface Scope {
  readonly service: string;
  readonly telemetry: ServiceTelemetry;
  readonly request?: RequestScope;
}

const storage = new AsyncLocalStorage<Scope>();

export function currentScope(): Scope | undefined {
  return storage.getStore();
}

/** Runs `work` (and everything it starts) as part of a service. */
export function runInService<T>(telemetry: ServiceTelemetry, work: () => T): T {
  return storage.run({ service: telemetry.service, telemetry }, work);
}

/** Runs `work` as the handling of one request of a service. */
export function runInRequest<T>(telemetry: ServiceTelemetry, request: RequestScope, work: () => T): T {
  return storage.run({ service: telemetry.service, telemetry, request }, work);
}

/** The request id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.request?.requestId;
}

let unscoped: ServiceTelemetry | undefined;

/**
 * The telemetry of the service the running code works for; outside any service (a script,
 * a unit test) a process-wide one that no /metrics shows.
 */
export function currentTelemetry(): ServiceTelemetry {
  return currentScope()?.telemetry ?? (unscoped ??= new ServiceTelemetry('unscoped'));
}
