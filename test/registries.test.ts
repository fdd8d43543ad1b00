/**
 * The registries are all the rest of the code knows about subgraphs and their sandboxes:
 * each entry's folder holds what it declares, and what a stand-in says about itself (its
 * folder, the variable of its port) agrees with its subgraph's settings.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadSettings } from '../config/settings.ts';
import { readSubgraphSettings } from '../config/subgraph-settings.ts';
import { STAND_INS } from '../sandbox/registry.ts';
import { SUBGRAPHS } from '../subgraphs/registry.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('the subgraph registry', () => {
  it.each(SUBGRAPHS.map((entry) => [entry.name, entry] as const))('%s: its folder has its schema, settings and entry point, on a port of its own', (name, entry) => {
    expect(entry.schemaFile).toBe(path.join(ROOT, 'subgraphs', name, 'schema.graphql'));
    for (const file of ['settings.ts', 'main.ts', 'permissions.ts', 'resolvers.ts']) expect(existsSync(path.join(ROOT, 'subgraphs', name, file))).toBe(true);
    expect(SUBGRAPHS.filter((other) => other.settings.port === entry.settings.port)).toHaveLength(1);
  });
});

describe('the sandbox registry', () => {
  it.each(STAND_INS.map((standIn) => [standIn.title, standIn] as const))('%s: stands in for a registered subgraph, from a folder with its entry point', (_title, standIn) => {
    expect(SUBGRAPHS.map((entry) => entry.settings)).toContain(standIn.subgraph);
    expect(existsSync(path.join(ROOT, 'sandbox', standIn.name, 'main.ts'))).toBe(true);
  });

  it.each(STAND_INS.map((standIn) => [standIn.title, standIn] as const))('%s: listens where its portSetting says, and its subgraph looks for it there', (_title, standIn) => {
    const settings = loadSettings({ [standIn.portSetting]: '45999' });
    const config = readSubgraphSettings(standIn.subgraph, settings).values;
    expect(standIn.port(config)).toBe(45999);
    expect(JSON.stringify(config)).toContain(':45999');
  });
});
