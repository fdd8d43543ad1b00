/** Dev access tokens: RS256 JWTs carrying one role and the scopes it grants. */
import { SignJWT } from 'jose';
import { isRole, ROLE_SCOPES, ROLES } from '../../kit/roles.ts';
import { SIGNING_ALGORITHM, type SigningKey } from './keys.ts';

export interface MintOptions {
  key: SigningKey;
  issuer: string;
  audience: string;
  /** One of ROLES; anything else is refused. */
  role: string;
  /** Defaults to `dev-<role in lower case>`. */
  subject?: string;
  ttlSeconds: number;
}

/** Signs a token with iss, aud, sub, iat, exp, roles [role] and the role's space-separated scope. */
export async function mintToken({ key, issuer, audience, role, subject, ttlSeconds }: MintOptions): Promise<string> {
  if (!isRole(role)) throw new Error(`Unknown role "${role}"; valid roles are ${ROLES.join(', ')}`);
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: [role], scope: ROLE_SCOPES[role].join(' ') })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(subject ?? `dev-${role.toLowerCase()}`)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(key.privateKey);
}
