/**
 * The key of a cached answer: the operation as printed (so whitespace and comments do not
 * split entries), its name, its variables and what the caller may see (roles and scopes),
 * hashed. Never the caller's identity: two viewers share an entry, and a VIEWER can never
 * be handed what was cached for an ADMIN (masking and field permissions follow the scopes).
 */
import { createHash } from 'node:crypto';
import { print, type DocumentNode } from 'graphql';
import type { Caller } from '../../kit/auth.ts';

export interface KeyParts {
  document: DocumentNode;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | undefined;
  caller: Pick<Caller, 'roles' | 'scopes'>;
}

/** Apollo keeps parsed documents (its document store), so each is printed once. */
const printed = new WeakMap<DocumentNode, string>();

export function responseCacheKey({ document, operationName, variables, caller }: KeyParts): string {
  let source = printed.get(document);
  if (source === undefined) printed.set(document, (source = print(document)));
  const what = JSON.stringify([
    source,
    operationName ?? null,
    stableJson(variables ?? {}),
    [...new Set(caller.roles)].sort(),
    [...caller.scopes].sort(),
  ]);
  return createHash('sha256').update(what).digest('hex');
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are one entry. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
