/**
 * Readiness: whether a service can serve right now (its schema is loaded, the shared
 * stores it was configured with answer). Each check is bounded in time, so /ready answers
 * promptly even when a dependency hangs; reasons are short fixed texts, never a connection
 * string or a driver's error message.
 */

/** Resolves with nothing when ready, or with the reason it is not. */
export type ReadinessCheck = () => Promise<string | undefined>;

export interface Readiness {
  readonly ready: boolean;
  /** `ok` or the reason, per check. */
  readonly checks: Readonly<Record<string, string>>;
  /** What the checks that threw threw (for the log, never for the answer). */
  readonly errors: readonly { check: string; error: unknown }[];
}

export class ReadinessChecks {
  readonly #checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): void {
    this.#checks.set(name, check);
  }

  async evaluate(timeoutMs = 2000): Promise<Readiness> {
    const errors: { check: string; error: unknown }[] = [];
    const results = await Promise.all([...this.#checks].map(async ([name, check]) => [name, await bounded(name, check, timeoutMs, errors)] as const));
    return { ready: results.every(([, reason]) => reason === undefined), checks: Object.fromEntries(results.map(([name, reason]) => [name, reason ?? 'ok'])), errors };
  }
}

async function bounded(name: string, check: ReadinessCheck, timeoutMs: number, errors: { check: string; error: unknown }[]): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`${name} did not answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      check().catch((error: unknown) => {
        errors.push({ check: name, error });
        return `${name} is unreachable`;
      }),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
