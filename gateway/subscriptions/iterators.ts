/**
 * An async iterator over another that maps each value, dropping those mapped to undefined.
 * Returning it returns the inner one at once (an async generator could not: its return
 * waits until the pending next settles, which for an idle subscription is never).
 */
export function transformIterator<T, U>(inner: AsyncIterator<T>, transform: (value: T) => U | undefined): AsyncIterableIterator<U> {
  const iterator: AsyncIterableIterator<U> = {
    async next() {
      for (;;) {
        const step = await inner.next();
        if (step.done) return { done: true, value: undefined };
        const value = transform(step.value);
        if (value !== undefined) return { done: false, value };
      }
    },
    async return() {
      await inner.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** Node timers overflow past about 24.8 days; a longer wait is re-armed in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Calls `expire` at `atMs` (epoch milliseconds); returns how to cancel it. */
export function atTime(atMs: number, expire: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = atMs - Date.now();
    if (wait <= 0) return expire();
    timer = setTimeout(arm, Math.min(wait, LONGEST_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/** Ends an iterator at a given time (a subscriber's token expiry), or when it is returned. */
export function endingAt<T>(inner: AsyncIterableIterator<T>, atMs: number): AsyncIterableIterator<T> {
  const cancel = atTime(atMs, () => void inner.return?.());
  return {
    next: () => inner.next(),
    async return() {
      cancel();
      await inner.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
