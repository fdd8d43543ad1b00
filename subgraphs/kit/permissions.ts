/**
 * Turns a subgraph's permission table into synchronous field guards (deny by default) and
 * masking, both applied to its schema's resolvers. Denials answer null with a FORBIDDEN
 * error and are audited; plain reads of sensitive values are audited too.
 *
 * Built here rather than with graphql-shield (see docs/architecture.md, "Departures"): shield
 * wraps every field of the schema in an async middleware chain and a per-request rule cache;
 * a role check is a set lookup, so a guarded field costs one synchronous call, a public one
 * nothing, and a field whose resolver is synchronous stays synchronous.
 */
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
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

/**
 * Secures a schema in place (buildSubgraphSchema makes a fresh one per subgraph): each
 * field's resolver is wrapped by its guard (outside) and its masking (inside).
 */
export function secureSchema(schema: GraphQLSchema, table: PermissionTable): GraphQLSchema {
  const masked = table.masked ?? {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      let resolve = (field.resolve ?? defaultFieldResolver) as Resolver;
      const sensitive = masked[coordinate];
      if (sensitive) resolve = masking(resolve, coordinate, sensitive);
      const rule = ruleFor(table.requires, type.name, field.name, schema);
      if (rule !== 'allow') resolve = guarded(resolve, rule, table.requires);
      field.resolve = resolve;
    }
  }
  return schema;
}

type Resolver = GraphQLFieldResolver<Record<string, unknown>, SubgraphContext>;

/**
 * A field's rule: its own entry, else its type's (more specific wins), else denied.
 * Federation's own fields stay open for the gateway (`_entities` exists only in subgraphs
 * that define an entity).
 */
function ruleFor(requires: PermissionTable['requires'], type: string, field: string, schema: GraphQLSchema): 'allow' | 'deny' | readonly Scope[] {
  if (type === '_Service') return 'allow';
  if (type === schema.getQueryType()?.name && (field === '_service' || field === '_entities')) return 'allow';
  const scope = requires[`${type}.${field}`] ?? requires[type];
  if (scope === undefined) return 'deny';
  if (scope === 'public') return 'allow';
  return typeof scope === 'string' ? [scope as Scope] : (scope as readonly Scope[]);
}

function guarded(resolve: Resolver, rule: 'deny' | readonly Scope[], requires: PermissionTable['requires']): Resolver {
  return (parent, args, context, info) => {
    if (rule !== 'deny' && rule.every((scope) => hasScope(context.caller, scope))) return resolve(parent, args, context, info);
    // Made per field, so each denied field names itself; a returned Error is the field's error.
    return denial(context, info, reasonFor(requires, info));
  };
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

/** Masks a sensitive field for callers without pii:read, and audits the plain reads of those with it. */
function masking(resolve: Resolver, coordinate: string, sensitive: SensitiveField): Resolver {
  const shown = (value: unknown, parent: Record<string, unknown>, context: SubgraphContext) => {
    if (typeof value !== 'string') return value;
    if (!hasScope(context.caller, 'pii:read')) return mask(sensitive.kind, value);
    // Prose with nothing sensitive in it is no sensitive read.
    if (sensitive.kind === 'freeText' && mask('freeText', value) === value) return value;
    context.audited.sensitiveRead(sensitive.owner(parent), coordinate);
    return value;
  };
  return (parent, args, context, info) => {
    const value = resolve(parent, args, context, info);
    return value instanceof Promise ? value.then((settled) => shown(settled, parent, context)) : shown(value, parent, context);
  };
}
