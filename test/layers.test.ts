/**
 * The code's layers point one way: `kit/` (what gateway, subgraphs and sandboxes all use)
 * sits below everything and imports only config; the gateway never reaches into subgraphs,
 * and the sandboxes only into a subgraph's settings.ts (the settings of the subgraph a
 * sandbox stands in for), which imports config alone; no file imports one that imports it
 * back, however far round; and nothing imports from inside another package's dist folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE_FOLDERS = ['config', 'kit', 'subgraphs', 'gateway', 'sandbox', 'scripts', 'bench'];
/** Which top-level folders each may import from (scripts and bench assemble everything). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  config: ['config'],
  kit: ['kit', 'config'],
  subgraphs: ['subgraphs', 'kit', 'config'],
  gateway: ['gateway', 'kit', 'config'],
  sandbox: ['sandbox', 'kit', 'config'],
  scripts: SOURCE_FOLDERS,
  bench: SOURCE_FOLDERS,
};

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = SOURCE_FOLDERS.flatMap((folder) => sourceFiles(path.join(ROOT, folder)));
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/g;
const imports = new Map(files.map((file) => [file, [...readFileSync(file, 'utf8').matchAll(SPECIFIER)].map((match) => match[1]!)]));
const local = (file: string) => (imports.get(file) ?? []).filter((spec) => spec.startsWith('.')).map((spec) => path.resolve(path.dirname(file), spec));
const top = (file: string) => path.relative(ROOT, file).split(path.sep)[0]!;
/** A subgraph folder's settings.ts: declarative, read by the sandbox that stands in for its upstream. */
const isSubgraphSettings = (file: string) => /^subgraphs\/[^/]+\/settings\.ts$/.test(path.relative(ROOT, file).split(path.sep).join('/'));
const allowed = (file: string, target: string) => MAY_IMPORT[top(file)]!.includes(top(target)) || (top(file) === 'sandbox' && isSubgraphSettings(target));

describe('the layers of the code', () => {
  it('import only downwards', () => {
    const wrong = files.flatMap((file) => local(file).filter((target) => !allowed(file, target)).map((target) => `${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`));
    expect(wrong).toEqual([]);
  });

  it('keep subgraph settings declarative: they import config alone', () => {
    const wrong = files.filter(isSubgraphSettings).flatMap((file) => local(file).filter((target) => top(target) !== 'config').map((target) => `${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`));
    expect(files.filter(isSubgraphSettings).length).toBeGreaterThanOrEqual(6);
    expect(wrong).toEqual([]);
  });

  it('have no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(ROOT, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of local(file)) if (imports.has(target)) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('never import from inside another package', () => {
    const deep = files.flatMap((file) => (imports.get(file) ?? []).filter((spec) => !spec.startsWith('.') && /\/dist\//.test(spec)).map((spec) => `${path.relative(ROOT, file)}: ${spec}`));
    expect(deep).toEqual([]);
  });
});
