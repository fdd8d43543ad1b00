/**
 * The one table from roles to scopes. Least privilege: pii:read is ADMIN's alone,
 * banking:validate is OPERATOR's and ADMIN's, audit:read is AUDITOR's and ADMIN's.
 */
export const ROLES = ['VIEWER', 'ANALYST', 'OPERATOR', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = [
  'plants:read',
  'payments:read',
  'email:read',
  'analytics:read',
  'banking:read',
  'banking:validate',
  'audit:read',
  'pii:read',
] as const;
export type Scope = (typeof SCOPES)[number];

export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = Object.freeze({
  VIEWER: ['plants:read', 'payments:read', 'email:read', 'analytics:read'],
  ANALYST: ['plants:read', 'payments:read', 'email:read', 'analytics:read', 'banking:read'],
  OPERATOR: ['plants:read', 'banking:read', 'banking:validate'],
  AUDITOR: ['plants:read', 'payments:read', 'email:read', 'analytics:read', 'banking:read', 'audit:read'],
  ADMIN: [...SCOPES],
});

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The scopes a set of roles grants (unknown roles grant nothing). */
export function scopesFor(roles: readonly unknown[]): Set<Scope> {
  const scopes = new Set<Scope>();
  for (const role of roles) if (isRole(role)) for (const scope of ROLE_SCOPES[role]) scopes.add(scope);
  return scopes;
}
