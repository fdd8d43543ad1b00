/**
 * Composes the subgraphs' SDL into schema/supergraph.graphql (checked in; a test fails
 * when it is stale). `--check` only reports whether the file is current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { composeSupergraph } from './supergraph.ts';
import { SUPERGRAPH_FILE } from '../gateway/server.ts';

const supergraph = composeSupergraph();
const current = readFileSafe(SUPERGRAPH_FILE);
if (process.argv.includes('--check')) {
  if (current !== supergraph) {
    console.error('schema/supergraph.graphql is stale: run `npm run compose`.');
    process.exit(1);
  }
  console.log('schema/supergraph.graphql is current.');
} else {
  writeFileSync(SUPERGRAPH_FILE, supergraph);
  console.log(`wrote ${SUPERGRAPH_FILE.split('/').slice(-2).join('/')}`);
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
