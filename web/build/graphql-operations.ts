/**
 * A Vite plugin that turns an imported `.graphql` file into `{ name, text, sha256Hash }`.
 * The hash is taken over the file's exact text at build time, so it is the hash Apollo's
 * automatic persisted queries (and the gateway's preregistered trusted documents) expect,
 * and the page needs no Web Crypto (absent on plain-HTTP origins).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'vite';

export function graphqlOperations(): Plugin {
  return {
    name: 'graphql-operations',
    async load(id) {
      if (!id.endsWith('.graphql')) return null;
      const text = await readFile(id, 'utf8');
      const operation = {
        name: path.basename(id, '.graphql'),
        text,
        sha256Hash: createHash('sha256').update(text).digest('hex'),
      };
      return { code: `export default ${JSON.stringify(operation)};`, moduleType: 'js' };
    },
  };
}
