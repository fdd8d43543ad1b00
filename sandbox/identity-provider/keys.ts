/**
 * The identity provider's RS256 signing key: made once, kept as a private JWK under the
 * data folder (git-ignored, mode 0600) so tokens stay verifiable across restarts.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, type webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint } from 'jose';

type JsonWebKey = webcrypto.JsonWebKey;

export const SIGNING_ALGORITHM = 'RS256';

export interface SigningKey {
  /** Stable key id: the RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** What the JWKS publishes: public members only, with kid, alg and use. */
  readonly publicJwk: JsonWebKey & { kid: string; alg: string; use: 'sig' };
}

/** Where the key of a data folder lives. */
export function signingKeyPath(dataDir: string): string {
  return path.join(dataDir, 'identity', 'signing-key.json');
}

/** Loads the data folder's signing key, creating and storing it on first use. */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const file = signingKeyPath(dataDir);
  const stored = await readStoredJwk(file);
  if (stored) return fromPrivateJwk(stored);

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx': if another process stored a key meanwhile, use theirs rather than overwrite it.
    await writeFile(file, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readStoredJwk(file);
    if (winner) return fromPrivateJwk(winner);
  }
  return fromPrivateJwk(jwk);
}

async function readStoredJwk(file: string): Promise<JsonWebKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as JsonWebKey;
  } catch {
    throw new Error(`Signing key file ${file} is not valid JSON; delete it to make a new key`);
  }
}

async function fromPrivateJwk(jwk: JsonWebKey): Promise<SigningKey> {
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const { kty, n, e } = createPublicKey(privateKey).export({ format: 'jwk' });
  if (kty !== 'RSA' || !n || !e) throw new Error('Signing key must be an RSA key');
  const kid = await calculateJwkThumbprint({ kty, n, e });
  return { kid, privateKey, publicJwk: { kty, n, e, kid, alg: SIGNING_ALGORITHM, use: 'sig' } };
}
