/**
 * Builds the browser pages the gateway serves: the dashboard (/dashboard) and the offline
 * explorer (/explorer). `npm run build:web` writes them to web/dist (git-ignored); install
 * and the browser tests run it.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { graphqlOperations } from './build/graphql-operations.ts';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  logLevel: 'warn',
  plugins: [graphqlOperations()],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    // GraphiQL brings the Monaco editor: large, but loaded only by the explorer.
    chunkSizeWarningLimit: 5000,
    rolldownOptions: {
      input: {
        dashboard: here('dashboard/index.html'),
        explorer: here('explorer/index.html'),
      },
      // React libraries mark their modules "use client", which means nothing outside React Server Components.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
