/**
 * Whether an upstream is up, as seen from its calls, its circuit breaker and a periodic
 * probe; listeners hear each transition once.
 */
/** A circuit breaker's state: closed (calls go), open (calls fail fast), half-open (one call tries). */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface HealthState {
  readonly up: boolean;
  /** When the observation that began the current state began (a call's or probe's start). */
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
  /** Start of the newest observation heard: one that began earlier and ends later says nothing new. */
  #latest = 0;
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

  /** `at`: when the call or probe that saw the upstream answer began. */
  reportUp(at: Date = new Date()): void {
    this.#lastSuccessAt = new Date();
    this.#set(true, at);
  }

  /** `at`: when the call or probe that saw the upstream fail began. */
  reportDown(at: Date = new Date()): void {
    this.#set(false, at);
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
      const startedAt = new Date();
      probe()
        .then(
          () => current() && this.reportUp(startedAt),
          () => current() && this.reportDown(startedAt),
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

  #set(up: boolean, at: Date): void {
    const first = !this.#observed;
    if (!first && at.getTime() < this.#latest) return;
    this.#observed = true;
    this.#latest = Math.max(this.#latest, at.getTime());
    if (this.#state.up === up && !first) return;
    this.#state = { up, since: at };
    for (const listener of this.#listeners) listener(first ? { ...this.#state, first } : this.#state);
  }
}
