/**
 * schema/supergraph.graphql with each subgraph's URL replaced by where this run's
 * subgraph listens (`<NAME>_URL`, as our gateway reads it): the comparison gateways are
 * given the very same composed schema, pointed at the very same subgraphs.
 */
import { readFileSync } from 'node:fs';
import type { Settings } from '../config/settings.ts';
import { subgraphUrlOverride } from '../config/subgraph-settings.ts';

const SUPERGRAPH = new URL('../schema/supergraph.graphql', import.meta.url);
const JOIN_GRAPH = /@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g;

export function supergraphAt(settings: Settings, sdl = readFileSync(SUPERGRAPH, 'utf8')): string {
  const missing: string[] = [];
  const rewritten = sdl.replace(JOIN_GRAPH, (_whole, name: string) => {
    const url = subgraphUrlOverride(settings, name);
    if (!url) missing.push(name);
    return `@join__graph(name: "${name}", url: "${url}")`;
  });
  if (missing.length > 0) throw new Error(`no URL for the subgraphs ${missing.join(', ')} (set <NAME>_URL)`);
  return rewritten;
}
