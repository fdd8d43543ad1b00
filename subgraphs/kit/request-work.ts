/**
 * The upstream work one request has started, so that one field can answer after the
 * others: the downtime banner then reports what this very request found upstream, not what
 * the request before it did.
 */
export class RequestWork {
  readonly #pending = new Set<Promise<unknown>>();

  /** Counts a call as part of the request until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#pending.add(work);
    work.then(
      () => this.#pending.delete(work),
      () => this.#pending.delete(work),
    );
    return work;
  }

  /**
   * Resolves once nothing the request started is still running. Each round first yields a
   * macrotask, so sibling resolvers (and DataLoader batches) of the same tick start theirs.
   */
  async settled(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#pending.size === 0) return;
      await Promise.allSettled([...this.#pending]);
    }
  }
}
