/**
 * Whether an upstream is up, as seen from its calls, its circuit breaker and a periodic
 * probe; listeners hear each transition once.
 */
/** A circuit breaker's state: closed (calls go), open (calls fail fast), half-open (one call tries). */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface HealthState {
  readonly up: boolean;
  /** When the current state began. */
  readonly since: Date;
  /**
   * True for the first observation after start, which listeners hear even when it matches
   * the assumed "up": state shared with other replicas (or left by a previous run) may say
   * otherwise and must be brought in line.
   */
  readonly first?: boolean;
}

export type HealthListener = (state: HealthState) => void;

export class UpstreamHealth {
  #state: HealthState = { up: true, since: new Date() };
  #lastSuccessAt: Date | undefined;
  #observed = false;
  readonly #listeners: HealthListener[] = [];
  #probe: NodeJS.Timeout | undefined;

  get state(): HealthState {
    return this.#state;
  }

  /** When the upstream last answered a call or probe successfully (for /health and its gauge). */
  get lastSuccessAt(): Date | undefined {
    return this.#lastSuccessAt;
  }

  onChange(listener: HealthListener): void {
    this.#listeners.push(listener);
  }

  reportUp(): void {
    this.#lastSuccessAt = new Date();
    this.#set(true);
  }

  reportDown(): void {
    this.#set(false);
  }

  /** Probes every intervalMs; a probe that resolves means up, one that rejects means down. */
  startProbe(probe: () => Promise<unknown>, intervalMs: number): void {
    this.stopProbe();
    let running = false;
    const interval = setInterval(() => {
      if (running) return;
      running = true;
      // A probe still in flight when probing stops reports nothing: the subgraph is closing.
      const current = () => this.#probe === interval;
      probe()
        .then(
          () => current() && this.reportUp(),
          () => current() && this.reportDown(),
        )
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    this.#probe = interval;
    interval.unref();
  }

  stopProbe(): void {
    if (this.#probe) clearInterval(this.#probe);
    this.#probe = undefined;
  }

  #set(up: boolean): void {
    const first = !this.#observed;
    this.#observed = true;
    if (this.#state.up === up && !first) return;
    if (this.#state.up !== up) this.#state = { up, since: new Date() };
    for (const listener of this.#listeners) listener(first ? { ...this.#state, first } : this.#state);
  }
}
