/**
 * Typed readers over an environment record that collect every problem instead of stopping
 * at the first, so one start-up error names all bad settings at once.
 */
export type Env = Readonly<Record<string, string | undefined>>;

interface IntBounds {
  min?: number;
  max?: number;
}

export function readEnv(source: Env) {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => {
    const value = source[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  return {
    string(name: string, fallback: string): string {
      return raw(name) ?? fallback;
    },
    /** A secret that may be unset. */
    optionalSecret(name: string): string | undefined {
      return raw(name);
    },
    /** Like string, but a bad value is never echoed back. */
    secret(name: string, fallback: string): string {
      return raw(name) ?? fallback;
    },
    int(name: string, fallback: number, bounds: IntBounds = {}): number {
      const value = raw(name);
      if (value === undefined) return fallback;
      const parsed = Number(value);
      const { min = -Infinity, max = Infinity } = bounds;
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        const range = [Number.isFinite(min) ? `>= ${min}` : '', Number.isFinite(max) ? `<= ${max}` : ''].filter(Boolean).join(' and ');
        problems.push(`${name}=${JSON.stringify(value)} is not a whole number${range ? ` ${range}` : ''}`);
        return fallback;
      }
      return parsed;
    },
    oneOf<const T extends string>(name: string, allowed: readonly T[], fallback: T): T {
      const value = raw(name);
      if (value === undefined) return fallback;
      if (!(allowed as readonly string[]).includes(value)) {
        problems.push(`${name}=${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
        return fallback;
      }
      return value as T;
    },
    /** A yes/no setting: true or false (1/0 and yes/no also read). */
    flag(name: string, fallback: boolean): boolean {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return fallback;
      if (['true', '1', 'yes'].includes(value)) return true;
      if (['false', '0', 'no'].includes(value)) return false;
      problems.push(`${name}=${JSON.stringify(value)} is not true or false`);
      return fallback;
    },
    url(name: string, fallback: string): string {
      const value = raw(name);
      if (value === undefined) return fallback;
      if (!URL.canParse(value)) {
        problems.push(`${name}=${JSON.stringify(value)} is not a URL`);
        return fallback;
      }
      return value.replace(/\/$/, '');
    },
    /** A URL that may carry a password: reported without its value. */
    optionalUrl(name: string): string | undefined {
      const value = raw(name);
      if (value !== undefined && !URL.canParse(value)) {
        problems.push(`${name} is set but is not a URL`);
        return undefined;
      }
      return value;
    },
    /** A comma-separated list of whole numbers, each within bounds. */
    intList(name: string, fallback: readonly number[], bounds: IntBounds = {}): number[] {
      const value = raw(name);
      if (value === undefined) return [...fallback];
      const { min = -Infinity, max = Infinity } = bounds;
      const items = value.split(',').map((item) => Number(item.trim()));
      if (items.some((item) => !Number.isInteger(item) || item < min || item > max)) {
        problems.push(`${name}=${JSON.stringify(value)} is not a list of whole numbers from ${min} to ${max}`);
        return [...fallback];
      }
      return items;
    },
    list(name: string, fallback: readonly string[]): string[] {
      const value = raw(name);
      if (value === undefined) return [...fallback];
      return value.split(',').map((item) => item.trim()).filter(Boolean);
    },
    /** Records a problem found by a reader outside this file (reported with the others). */
    problem(message: string): void {
      problems.push(message);
    },
    assertValid(): void {
      if (problems.length > 0) throw new Error(`Invalid settings:\n  - ${problems.join('\n  - ')}`);
    },
  };
}

/** The readers over one environment. */
export type EnvReader = ReturnType<typeof readEnv>;
