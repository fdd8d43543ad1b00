/**
 * What a subgraph folder declares about its settings (its settings.ts): its name and port,
 * how to read its own variables, with defaults that point at its sandbox on loopback, and
 * what production must set. The subgraph reads the declaration once when it starts; the
 * stack and the sandbox that stands in for the upstream read the same one, so keys, secrets
 * and ports always agree. Variables are named after the subgraph: `<NAME>_PORT` and, for
 * the gateway, `<NAME>_URL` (PLANTS_PORT, EMAIL_STATS_URL).
 */
import { assertNoProblems, deepFreeze, notHttps, unsetSettings } from './production-checks.ts';
import { readEnv, type EnvReader } from './read-env.ts';
import { localUrl, type RunMode, type Settings } from './settings.ts';

export interface SubgraphSettingsContext {
  readonly mode: RunMode;
  readonly host: string;
  readonly dataDir: string;
  /** The port this subgraph listens on. */
  readonly port: number;
  /** `http://<host>:<port>`: where a sandbox listens on this machine. */
  local(port: number): string;
}

export interface SubgraphSettings<T> {
  /** Service name, as in the supergraph (`plants`, `email-stats`). */
  readonly name: string;
  /** Its port unless `<NAME>_PORT` says otherwise. */
  readonly port: number;
  read(env: EnvReader, context: SubgraphSettingsContext): T;
  /** What production must set: the defaults point at the sandbox with made-up keys. */
  readonly requiredInProduction?: readonly string[];
  /** The upstream URLs, by their variable: production needs them over https. */
  upstreamUrls?(settings: T): Readonly<Record<string, string>>;
  /** Anything else production refuses (a TLS version too old). */
  productionProblems?(settings: T): string[];
}

/** A subgraph's settings, read and checked. */
export interface ReadSubgraphSettings<T> {
  readonly port: number;
  readonly values: T;
}

/** Declares a folder's settings (typed by what `read` returns). */
export const defineSubgraphSettings = <T>(definition: SubgraphSettings<T>): SubgraphSettings<T> => definition;

export type SettingsOf<D> = D extends SubgraphSettings<infer T> ? T : never;

/** `email-stats` → `EMAIL_STATS`, the prefix of a subgraph's own variables. */
export const envName = (subgraph: string): string => subgraph.toUpperCase().replace(/-/g, '_');

const read = new WeakMap<Settings, WeakMap<SubgraphSettings<unknown>, ReadSubgraphSettings<unknown>>>();

/**
 * Reads a subgraph's settings from the environment the shared settings came from. Throws
 * one error naming every bad variable, and in production every missing one; the same
 * declaration over the same settings is read once.
 */
export function readSubgraphSettings<T>(definition: SubgraphSettings<T>, settings: Settings): ReadSubgraphSettings<T> {
  const cached = read.get(settings)?.get(definition as SubgraphSettings<unknown>);
  if (cached) return cached as ReadSubgraphSettings<T>;
  const env = readEnv(settings.source);
  const port = env.int(`${envName(definition.name)}_PORT`, definition.port, { min: 0, max: 65535 });
  const values = definition.read(env, { mode: settings.mode, host: settings.host, dataDir: settings.dataDir, port, local: (p) => localUrl(settings.host, p) });
  env.assertValid();
  if (settings.mode === 'production') {
    assertNoProblems([
      ...unsetSettings(settings.source, definition.requiredInProduction ?? []),
      ...notHttps(definition.upstreamUrls?.(values) ?? {}),
      ...(definition.productionProblems?.(values) ?? []),
    ]);
  }
  const result = deepFreeze({ port, values });
  const bySettings = read.get(settings) ?? new WeakMap();
  bySettings.set(definition as SubgraphSettings<unknown>, result);
  read.set(settings, bySettings);
  return result;
}

/**
 * Where the gateway finds a subgraph when the settings say so: `<NAME>_URL`, or on this
 * host at `<NAME>_PORT` when only the port moved; otherwise the supergraph's URL stands.
 */
export function subgraphUrlOverride(settings: Settings, name: string): string | undefined {
  const env = readEnv(settings.source);
  const url = env.optionalUrl(`${envName(name)}_URL`);
  const port = env.int(`${envName(name)}_PORT`, -1, { min: 0, max: 65535 });
  env.assertValid();
  if (url) return url.replace(/\/$/, '');
  return port > 0 ? `${localUrl(settings.host, port)}/graphql` : undefined;
}
