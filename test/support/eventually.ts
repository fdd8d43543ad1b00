/** Polling with generous bounds: tests wait for a condition, never for a fixed time. */

/**
 * Polls until check returns a value other than undefined (and returns it), or fails after
 * timeoutMs naming what it waited for.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 10_000, everyMs = 25, describe = () => 'condition' }: { timeoutMs?: number; everyMs?: number; describe?: () => string | Promise<string> } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${await describe()} not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** eventually for a yes/no condition. */
export async function until(condition: () => Promise<boolean> | boolean, options: Parameters<typeof eventually>[1] = {}): Promise<void> {
  await eventually(async () => ((await condition()) ? true : undefined), options);
}
