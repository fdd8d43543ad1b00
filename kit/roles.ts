/**
 * The one table of who may do what: each scope with the roles that hold it, one line a
 * scope (a new upstream's scope is one line here). Least privilege: pii:read is ADMIN's
 * alone, banking:validate is OPERATOR's and ADMIN's, audit:read is AUDITOR's and ADMIN's.
 */
export const ROLES = ['VIEWER', 'ANALYST', 'OPERATOR', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPE_ROLES = {
  'plants:read': ['VIEWER', 'ANALYST', 'OPERATOR', 'AUDITOR', 'ADMIN'],
  'payments:read': ['VIEWER', 'ANALYST', 'AUDITOR', 'ADMIN'],
  'email:read': ['VIEWER', 'ANALYST', 'AUDITOR', 'ADMIN'],
  'analytics:read': ['VIEWER', 'ANALYST', 'AUDITOR', 'ADMIN'],
  'banking:read': ['ANALYST', 'OPERATOR', 'AUDITOR', 'ADMIN'],
  'banking:validate': ['OPERATOR', 'ADMIN'],
  'audit:read': ['AUDITOR', 'ADMIN'],
  'pii:read': ['ADMIN'],
} as const satisfies Record<string, readonly Role[]>;
export type Scope = keyof typeof SCOPE_ROLES;

export const SCOPES = Object.keys(SCOPE_ROLES) as Scope[];

/** Each role's scopes, in the table's order. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = Object.freeze(
  Object.fromEntries(ROLES.map((role) => [role, SCOPES.filter((scope) => (SCOPE_ROLES[scope] as readonly Role[]).includes(role))])) as Record<Role, Scope[]>,
);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The scopes a set of roles grants (unknown roles grant nothing). */
export function scopesFor(roles: readonly unknown[]): Set<Scope> {
  const scopes = new Set<Scope>();
  for (const role of roles) if (isRole(role)) for (const scope of ROLE_SCOPES[role]) scopes.add(scope);
  return scopes;
}
