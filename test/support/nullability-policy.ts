/**
 * The nullability policy of docs/architecture.md, checked over a composed supergraph: a
 * non-null field must be one that cannot fail once its parent exists. Fields whose value
 * crosses an upstream, a permission rule or another subgraph must be nullable, or one
 * failure would null its parent (and, up the chain, the whole answer).
 */
import {
  buildSchema,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { PermissionTable } from '../../subgraphs/kit/permissions.ts';

/** Fields of a resolved connection that exist whenever the connection does. */
const CONNECTION_STRUCTURE = new Set(['edges', 'node', 'pageInfo', 'cursor']);

/** Every field of the supergraph that breaks the policy, as `Type.field: why`. */
export function nullabilityViolations(supergraphSdl: string, permissions: Readonly<Record<string, PermissionTable>>): string[] {
  const schema = buildSchema(supergraphSdl, { assumeValidSDL: true });
  const graphNames = subgraphNamesByGraph(schema);
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((type) => type!.name));
  const types = Object.values(schema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !/^(__|_|join__|link__)/.test(type.name));
  const servedBy = (type: GraphQLObjectType, field: GraphQLField<unknown, unknown>) => {
    const own = joinArgs(field.astNode?.directives, 'join__field').map((args) => graphNames.get(String(args.graph))!);
    return own.length > 0 ? own : joinArgs(type.astNode?.directives, 'join__type').map((args) => graphNames.get(String(args.graph))!);
  };
  // A type's origins: the subgraphs with a field that returns it (the ones that can make one).
  const origins = new Map<string, Set<string>>();
  for (const type of types) {
    for (const field of Object.values(type.getFields())) {
      const target = getNamedType(field.type).name;
      for (const subgraph of servedBy(type, field)) (origins.get(target) ?? origins.set(target, new Set()).get(target)!).add(subgraph);
    }
  }
  const violations: string[] = [];
  for (const type of types) {
    const keyFields = new Set(joinArgs(type.astNode?.directives, 'join__type').flatMap((args) => String(args.key ?? '').split(/\s+/).filter(Boolean)));
    for (const field of Object.values(type.getFields())) {
      if (!isNonNullType(field.type)) continue;
      const why = reasonToBeNullable({
        type,
        field,
        roots,
        origins: [...(origins.get(type.name) ?? [])],
        servedBy: servedBy(type, field),
        isKey: keyFields.has(field.name),
        isEntity: keyFields.size > 0,
        permissions,
      });
      if (why) violations.push(`${type.name}.${field.name}: ${why}`);
    }
  }
  return violations.sort();
}

function reasonToBeNullable(args: {
  type: GraphQLObjectType;
  field: GraphQLField<unknown, unknown>;
  roots: ReadonlySet<string>;
  /** The subgraphs that make objects of this type (an entity's owner). */
  origins: readonly string[];
  servedBy: readonly string[];
  isKey: boolean;
  isEntity: boolean;
  permissions: Readonly<Record<string, PermissionTable>>;
}): string | undefined {
  const { type, field, roots, origins, servedBy, isKey, isEntity, permissions } = args;
  if (roots.has(type.name)) return 'a root field crosses an upstream';
  if (isKey) return undefined;
  const missing = origins.filter((origin) => !servedBy.includes(origin));
  if (missing.length > 0) return `contributed by ${servedBy.join(', ')} to an entity ${missing.join(', ')} makes`;
  for (const subgraph of servedBy) {
    const table = permissions[subgraph];
    if (!table) continue;
    const coordinate = `${type.name}.${field.name}`;
    if (table.masked?.[coordinate]) return `masked in ${subgraph}`;
    const own = table.requires[coordinate];
    if (own !== undefined && own !== 'public' && !implied(own, table.requires[type.name])) return `guarded by its own rule in ${subgraph}`;
    const target = getNamedType(field.type);
    if (isCompositeType(target) && !CONNECTION_STRUCTURE.has(field.name) && !implied(table.requires[target.name], table.requires[type.name])) {
      return `its type ${target.name} needs more than ${type.name} in ${subgraph}`;
    }
  }
  const target = getNamedType(field.type);
  if (!isCompositeType(target) || CONNECTION_STRUCTURE.has(field.name)) return undefined;
  if (field.args.length > 0) return 'a parameterised read (a page of its own) crosses an upstream';
  if (isEntity && isListType(stripNonNull(field.type))) return 'a list hanging off an entity is fetched on its own';
  return undefined;
}

type Rule = PermissionTable['requires'][string] | undefined;

/** True when passing `parent` (the rule that let the caller reach the object) also passes `rule`. */
function implied(rule: Rule, parent: Rule): boolean {
  if (rule === undefined || rule === 'public') return true;
  if (parent === undefined || parent === 'public') return false;
  const held = new Set(typeof parent === 'string' ? [parent] : parent);
  return (typeof rule === 'string' ? [rule] : rule).every((scope) => held.has(scope));
}

function stripNonNull(type: GraphQLField<unknown, unknown>['type']) {
  return isNonNullType(type) ? type.ofType : type;
}

/** join__Graph enum value -> subgraph name (`EMAIL_STATS` -> `email-stats`). */
function subgraphNamesByGraph(schema: GraphQLSchema): Map<string, string> {
  const names = new Map<string, string>();
  const graphs = schema.getType('join__Graph');
  for (const value of graphs?.astNode && 'values' in graphs.astNode ? (graphs.astNode.values ?? []) : []) {
    const [args] = joinArgs(value.directives, 'join__graph');
    if (args) names.set(value.name.value, String(args.name));
  }
  return names;
}

/** The literal arguments of each use of a directive. */
function joinArgs(directives: readonly ConstDirectiveNode[] | undefined, name: string): Record<string, unknown>[] {
  return (directives ?? [])
    .filter((directive) => directive.name.value === name)
    .map((directive) =>
      Object.fromEntries(
        (directive.arguments ?? []).map((argument) => [argument.name.value, 'value' in argument.value ? argument.value.value : undefined]),
      ),
    );
}
