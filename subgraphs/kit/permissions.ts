/**
 * Turns a subgraph's permission table into a graphql-shield rule tree (deny by default)
 * and a masking middleware, both applied to its schema. Denials answer null with a
 * FORBIDDEN error and are audited; plain reads of sensitive values are audited too.
 */
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { applyMiddleware, type IMiddlewareFieldMap } from 'graphql-middleware';
import { allow, deny, rule, shield, type IRules } from 'graphql-shield';
import { hasScope } from '../../kit/auth.ts';
import { auditOnce, type SubgraphContext } from './context.ts';
import { forbidden } from '../../kit/errors.ts';
import { mask, type MaskKind } from '../../kit/masking.ts';
import type { Scope } from '../../kit/roles.ts';

export interface SensitiveField {
  kind: MaskKind;
  /** Which entity the value belongs to, for the audit trail. */
  owner: (parent: Record<string, unknown>) => { type: string; id: string } | undefined;
}

export interface PermissionTable {
  /**
   * Scope needed, by type (`Plant`) or by field (`Query.plants`, more specific wins).
   * `public` is for fields any verified caller may read. Anything not listed is denied.
   */
  readonly requires: Readonly<Record<string, Scope | readonly Scope[] | 'public'>>;
  /** Fields shown masked to callers without pii:read, by `Type.field`. */
  readonly masked?: Readonly<Record<string, SensitiveField>>;
}

export function secureSchema(schema: GraphQLSchema, table: PermissionTable): GraphQLSchema {
  const permissions = shield(buildRuleTree(table.requires, schema), {
    fallbackRule: deny,
    // Rules answer true or false (cached per request); the error is made here, per field, so
    // each denied field names itself (a cached error would name the first one denied).
    fallbackError: (_thrown, _parent, _args, context, info) => denial(context as unknown as SubgraphContext, info, reasonFor(table.requires, info)),
    allowExternalErrors: true,
    debug: false,
  });
  const masking = maskingMiddleware(table.masked ?? {});
  return applyMiddleware(schema, permissions, masking);
}

/**
 * Type rules become `*` wildcards; federation's own fields stay open for the gateway
 * (`_entities` exists only in subgraphs that define an entity).
 */
function buildRuleTree(requires: PermissionTable['requires'], schema: GraphQLSchema): IRules {
  const federation: Record<string, unknown> = { _service: allow };
  if (schema.getQueryType()?.getFields()._entities) federation._entities = allow;
  const tree: Record<string, Record<string, unknown>> = { Query: federation, _Service: { '*': allow } };
  for (const [target, scope] of Object.entries(requires)) {
    const guard = scope === 'public' ? allow : requireScopes(typeof scope === 'string' ? [scope as Scope] : (scope as readonly Scope[]));
    const [type, field = '*'] = target.split('.') as [string, string?];
    (tree[type] ??= {})[field] = guard;
  }
  return tree as IRules;
}

const scopeRules = new Map<string, ReturnType<ReturnType<typeof rule>>>();

function requireScopes(scopes: readonly Scope[]) {
  const name = `requires ${scopes.join(' and ')}`;
  let guard = scopeRules.get(name);
  if (!guard) {
    // Contextual cache: evaluated once per request per rule, however many fields it guards.
    guard = rule(name, { cache: 'contextual' })((_parent, _args, context: SubgraphContext) => scopes.every((scope) => hasScope(context.caller, scope)));
    scopeRules.set(name, guard);
  }
  return guard;
}

/** Why a field is denied: the scopes its rule needs, or that no rule lets anyone read it. */
function reasonFor(requires: PermissionTable['requires'], info: GraphQLResolveInfo): string {
  const scope = requires[`${info.parentType.name}.${info.fieldName}`] ?? requires[info.parentType.name];
  if (scope === undefined || scope === 'public') return 'no rule';
  return `requires ${(typeof scope === 'string' ? [scope] : scope).join(' and ')}`;
}

function denial(context: SubgraphContext, info: GraphQLResolveInfo, reason: string) {
  const coordinate = `${info.parentType.name}.${info.fieldName}`;
  auditOnce(context, `forbidden:${coordinate}`, {
    type: 'FORBIDDEN',
    actor: context.caller?.subject ?? 'anonymous',
    service: context.service,
    action: `read ${coordinate}`,
    outcome: 'DENIED',
    details: { field: coordinate, reason, roles: context.caller?.roles ?? [] },
  });
  return forbidden(`Not allowed to read ${coordinate}.`);
}

function maskingMiddleware(masked: Readonly<Record<string, SensitiveField>>): IMiddlewareFieldMap {
  const map: Record<string, Record<string, unknown>> = {};
  for (const [coordinate, sensitive] of Object.entries(masked)) {
    const [type, field] = coordinate.split('.') as [string, string];
    map[type] ??= {};
    map[type][field] = async (
      resolve: (...args: unknown[]) => unknown,
      parent: Record<string, unknown>,
      args: unknown,
      context: SubgraphContext,
      info: GraphQLResolveInfo,
    ) => {
      const value = await resolve(parent, args, context, info);
      if (typeof value !== 'string') return value;
      if (!hasScope(context.caller, 'pii:read')) return mask(sensitive.kind, value);
      // Prose with nothing sensitive in it is no sensitive read.
      if (sensitive.kind === 'freeText' && mask('freeText', value) === value) return value;
      context.audited.sensitiveRead(sensitive.owner(parent), coordinate);
      return value;
    };
  }
  return map as IMiddlewareFieldMap;
}
