/**
 * What production refuses to start with: dev defaults point at the local sandboxes with
 * made-up keys, fine on loopback, never in production.
 */
import type { Env } from './read-env.ts';

/** The variables of `required` the environment leaves unset. */
export function unsetSettings(source: Env, required: readonly string[]): string[] {
  const missing = required.filter((name) => !source[name]?.trim());
  return missing.length > 0 ? [`these settings must be set: ${missing.join(', ')}`] : [];
}

/** Upstream URLs (by their variable) that are not https; loopback passes, for a sidecar. */
export function notHttps(urls: Readonly<Record<string, string>>): string[] {
  return Object.entries(urls).flatMap(([name, url]) => {
    const { protocol, hostname } = new URL(url);
    return protocol !== 'https:' && !isLoopback(hostname) ? [`${name} must be an https URL (got ${protocol}//${hostname})`] : [];
  });
}

export function assertNoProblems(problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(`NODE_ENV=production: ${problems.join('; ')}`);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\./.test(hostname);
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
