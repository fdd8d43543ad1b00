/** Composition of the registry's subgraphs, shared by the compose script and its test. */
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { localUrl } from '../config/settings.ts';
import { SUBGRAPHS } from '../subgraphs/registry.ts';

/** The supergraph SDL, with each subgraph at its default URL (the gateway overrides them with `<NAME>_URL`). */
export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPHS.map((entry) => ({
      name: entry.name,
      url: `${localUrl('127.0.0.1', entry.settings.port)}/graphql`,
      typeDefs: parse(readFileSync(entry.schemaFile, 'utf8')),
    })),
  );
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
  return `${result.supergraphSdl.trim()}\n`;
}
