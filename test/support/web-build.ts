/** Builds the browser pages (web/dist) as `npm run build:web` does, for the tests that open them. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

export async function buildWebPages(): Promise<void> {
  // process.execPath is the pinned Node the tests run on.
  await run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'], { cwd: root, timeout: 300_000 });
}
