/**
 * Resolves a subscriber's selection under an event's `plant` through the federated graph,
 * as that subscriber: the selection (with the fragments and variables it uses) becomes a
 * `plant(id:)` query run by the gateway with the subscriber's own context, so permissions
 * and masking apply to pushed data exactly as to queries.
 */
import {
  GraphQLError,
  Kind,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type VariableDefinitionNode,
  defaultFieldResolver,
} from 'graphql';

/** Runs a query through the federated graph for one caller. */
export type RunQuery<TContext> = (query: string, variables: Record<string, unknown>, context: TContext) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly GraphQLError[] }>;

/** Runs a subscriber's query for an alert (the event object, the same for every subscriber it reaches). */
export type RunForAlert<TContext> = (alert: object, query: string, variables: Record<string, unknown>, context: TContext) => ReturnType<RunQuery<TContext>>;

/** Objects that came from a federated answer: their keys are response keys (aliases), not field names. */
const federated = new WeakSet<object>();

const queries = new WeakMap<FieldNode, string>();

export function plantThroughGraph<TContext>(run: RunForAlert<TContext>) {
  return async (event: { plantId: string | null }, _args: unknown, context: TContext, info: GraphQLResolveInfo) => {
    if (!event.plantId) return null;
    const field = info.fieldNodes[0]!;
    let query = queries.get(field);
    if (!query) {
      query = buildQuery(field, info);
      queries.set(field, query);
    }
    const { data, errors } = await run(event, query, { ...info.variableValues, __plantId: event.plantId }, context);
    const plant = data?.plant;
    if (plant === null || plant === undefined) {
      if (errors?.[0]) throw new GraphQLError(errors[0].message, { extensions: errors[0].extensions });
      return null;
    }
    markFederated(plant);
    return plant;
  };
}

/** Reads federated objects by response key, everything else by field name. */
export const responseKeyResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  if (typeof source === 'object' && source !== null && federated.has(source)) return (source as Record<string, unknown>)[String(info.path.key)];
  return defaultFieldResolver(source, args, context, info);
};

function buildQuery(field: FieldNode, info: GraphQLResolveInfo): string {
  const fragments = usedFragments(field, info.fragments);
  const variables = new Set<string>();
  for (const node of [field, ...fragments]) {
    visit(node, { Variable: (variable) => void variables.add(variable.name.value) });
  }
  const definitions: VariableDefinitionNode[] = (info.operation.variableDefinitions ?? []).filter((definition) => variables.has(definition.variable.name.value));
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as never,
        name: { kind: Kind.NAME, value: 'PlantDowntimeSubscriber' },
        variableDefinitions: [
          ...definitions,
          {
            kind: Kind.VARIABLE_DEFINITION,
            variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: '__plantId' } },
            type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
          },
        ],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              name: { kind: Kind.NAME, value: 'plant' },
              arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'id' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: '__plantId' } } }],
              ...(field.directives ? { directives: field.directives } : {}),
              ...(field.selectionSet ? { selectionSet: field.selectionSet } : {}),
            },
          ],
        },
      },
      ...fragments,
    ],
  };
  return print(document);
}

function usedFragments(root: FieldNode, all: Readonly<Record<string, FragmentDefinitionNode>>): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const pending: (FieldNode | FragmentDefinitionNode)[] = [root];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = all[name];
        if (fragment && !found.has(name)) {
          found.set(name, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...found.values()];
}

function markFederated(value: unknown): void {
  if (Array.isArray(value)) for (const item of value) markFederated(item);
  else if (typeof value === 'object' && value !== null) {
    federated.add(value);
    for (const inner of Object.values(value)) markFederated(inner);
  }
}
