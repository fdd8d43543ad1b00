/** Process lifecycle for entry points: stop cleanly, once, on SIGINT or SIGTERM. */
export function stopOnSignal(stop: () => Promise<unknown>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      void stop()
        .catch(() => undefined)
        .then(() => process.exit(0));
    });
  }
}
