/**
 * What a cached answer carries, as tags an announced change can drop it by. Walking the
 * answer along the operation's selections and the schema's types:
 * - `Plant:plant-007` for each entity with an id (`plant(id: "plant-007")`);
 * - `Plant:*` for entities in a list, or whose id is not in the answer: a change to any
 *   plant may change which plants a list holds (a status filter), so any plant change
 *   drops it;
 * - `Plant` for any plant at all, dropped by a change that names no id.
 * An abstract type without `__typename` in the answer is tagged as each of its possible
 * types: more tags only drop an entry sooner.
 */
import {
  getNamedType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { ChangedEntity } from '../../kit/cache-invalidation.ts';

/** The tags an announced change drops. */
export function tagsOfChange({ type, id }: ChangedEntity): string[] {
  return id === undefined ? [type] : [`${type}:${id}`, `${type}:*`];
}

export function entityTags(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, data: unknown): Set<string> {
  const tags = new Set<string>();
  const root = schema.getRootType(operation.operation);
  if (root) walk(root, operation.selectionSet, data, false);
  return tags;

  function walk(type: GraphQLCompositeType, selections: SelectionSetNode, value: unknown, inList: boolean): void {
    if (value === null || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    for (const concrete of concreteTypes(type, object)) {
      tagEntity(concrete, object, inList);
      walkSelections(concrete, selections, object, inList);
    }
  }

  function walkSelections(type: GraphQLObjectType, selections: SelectionSetNode, object: Record<string, unknown>, inList: boolean): void {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = type.getFields()[selection.name.value];
        if (!field || !selection.selectionSet) continue;
        const child = object[selection.alias?.value ?? selection.name.value];
        walkValue(field.type, selection.selectionSet, child, inList);
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!fragment) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        // A fragment on another type leaves fields this object does not have: nothing is found there.
        if (condition && (condition === type || (isAbstractType(condition) && schema.isSubType(condition, type)))) walkSelections(type, fragment.selectionSet, object, inList);
      }
    }
  }

  function walkValue(type: GraphQLOutputType, selections: SelectionSetNode, value: unknown, inList: boolean): void {
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) {
      if (Array.isArray(value)) for (const item of value) walkValue(inner.ofType, selections, item, true);
      return;
    }
    const named = getNamedType(inner);
    if (isObjectType(named) || isAbstractType(named)) walk(named, selections, value, inList);
  }

  function concreteTypes(type: GraphQLCompositeType, object: Record<string, unknown>): readonly GraphQLObjectType[] {
    if (isObjectType(type)) return [type];
    const named = typeof object.__typename === 'string' ? schema.getType(object.__typename) : undefined;
    return named && isObjectType(named) ? [named] : schema.getPossibleTypes(type);
  }

  function tagEntity(type: GraphQLObjectType, object: Record<string, unknown>, inList: boolean): void {
    if (type === schema.getRootType(operation.operation)) return;
    tags.add(type.name);
    const id = object.id;
    if (typeof id === 'string' && id) tags.add(`${type.name}:${id}`);
    // Without its id in the answer, any change of its type may be a change of it.
    else tags.add(`${type.name}:*`);
    if (inList) tags.add(`${type.name}:*`);
  }
}
