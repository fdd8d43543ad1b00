/**
 * `npm run --silent token -- <ROLE>`: prints only a bearer token for ROLE, signed with the
 * sandbox identity provider's key under ./data (made here if the stack never ran).
 */
import { loadSettings } from '../config/settings.ts';
import { loadOrCreateSigningKey } from '../sandbox/identity-provider/keys.ts';
import { mintToken } from '../sandbox/identity-provider/mint.ts';
import { ROLES } from '../kit/roles.ts';

const role = (process.argv[2] ?? '').toUpperCase();
if (!(ROLES as readonly string[]).includes(role)) {
  console.error(`usage: npm run --silent token -- <ROLE>   (ROLE: ${ROLES.join(', ')})`);
  process.exit(2);
}
const settings = loadSettings();
const key = await loadOrCreateSigningKey(settings.dataDir);
const token = await mintToken({ key, issuer: settings.auth.issuer, audience: settings.auth.audience, role, ttlSeconds: settings.auth.devTokenTtlSeconds });
process.stdout.write(`${token}\n`);
