/**
 * `node scripts/complete-lockfile.ts` after changing dependencies: npm ci refuses a lock
 * that lacks any platform's optional binary package (@swc/core-darwin-arm64, ...), and the
 * registry mirror this project is built against serves Linux ones only, so npm cannot write
 * the others. This adds each missing one as an optional entry for its own os and cpu, which
 * npm ci then skips on Linux, as it would with a lock written against the full registry.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

interface LockEntry {
  version?: string;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

const LOCK = 'package-lock.json';
const lock = JSON.parse(readFileSync(LOCK, 'utf8')) as { packages: Record<string, LockEntry> };

const wanted = new Map<string, string>();
for (const entry of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) wanted.set(name, version);
}

let added = 0;
for (const [name, version] of wanted) {
  if (lock.packages[`node_modules/${name}`] || Object.keys(lock.packages).some((key) => key.endsWith(`/node_modules/${name}`))) continue;
  const platform = /-(aix|android|darwin|freebsd|linux|netbsd|openbsd|openharmony|sunos|win32)-([a-z0-9]+)/.exec(name);
  if (!platform) continue;
  lock.packages[`node_modules/${name}`] = { version, cpu: [platform[2]!], dev: true, optional: true, os: [platform[1]!] };
  added += 1;
}
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} optional platform entries to ${LOCK}`);
execFileSync('npm', ['ci', '--dry-run', '--ignore-scripts'], { stdio: 'ignore' });
console.log('npm ci accepts the lock');
