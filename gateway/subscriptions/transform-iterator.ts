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
