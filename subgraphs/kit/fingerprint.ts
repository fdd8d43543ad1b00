/** Names a secret without revealing it (cache keys' credential scope, logs). */
import { createHash } from 'node:crypto';

/** The first 12 hex digits of the secret's SHA-256: stable, distinct per key, useless to an attacker. */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}
