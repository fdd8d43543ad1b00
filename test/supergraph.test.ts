/** The checked-in supergraph is what the subgraphs' SDL composes to today. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { SUPERGRAPH_FILE } from '../gateway/server.ts';
import { composeSupergraph } from '../scripts/supergraph.ts';

describe('schema/supergraph.graphql', () => {
  it('is current (run `npm run compose` after changing a schema.graphql)', () => {
    expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(composeSupergraph());
  });
});
