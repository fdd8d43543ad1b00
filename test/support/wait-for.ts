/** Polls until `condition` holds, failing with `describe()` after a generous bound. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 45_000, intervalMs = 50, describe = () => 'condition' }: { timeoutMs?: number; intervalMs?: number; describe?: () => string | Promise<string> } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
