/**
 * Validation rules that refuse an operation before any resolver runs (and so before any
 * subgraph or upstream call): too many aliases and directives (graphql-armor's walkers), too
 * deep (ours: armor's depth rule skips `__schema` but not `__type`, which has limits of its
 * own here), too many root fields, introspection nested or repeated beyond what a client
 * needs (the standard introspection query selects `__schema` once and nests 14 levels below
 * it). Tokens are limited by the parser (parseOptions.maxTokens), before all of these.
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { Kind, type ASTVisitor, type FragmentDefinitionNode, type GraphQLError, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import type { Limits } from '../../config/limits.ts';
import { limitExceeded } from './limit-error.ts';

type OperationLimits = Limits['operation'];

/** graphql-armor's rule with its refusal reported as ours (BAD_USER_INPUT naming the limit). */
function armored<O>(rule: (options: O) => ValidationRule, options: O, refusal: (found: number) => GraphQLError): ValidationRule {
  return (context) =>
    rule({
      ...options,
      exposeLimits: true,
      propagateOnRejection: false,
      onReject: [(_context: ValidationContext, error: GraphQLError) => context.reportError(refusal(Number(/found (\d+)/.exec(error.message)?.[1] ?? NaN)))],
      onAccept: [],
    })(context) as unknown as ASTVisitor;
}

export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  return [
    armored(maxAliasesRule, { n: limits.maxAliases }, (found) => limitExceeded({ limit: 'aliases', max: limits.maxAliases, found, setting: 'GATEWAY_MAX_ALIASES', what: 'aliases' })),
    depthRule(limits),
    armored(maxDirectivesRule, { n: limits.maxDirectives }, (found) => limitExceeded({ limit: 'directives', max: limits.maxDirectives, found, setting: 'GATEWAY_MAX_DIRECTIVES', what: 'directives' })),
    rootFieldsRule(limits),
    introspectionRule(limits),
  ];
}

/** At most maxDepth levels of fields (fragments followed); introspection fields are counted by introspectionRule. */
function depthRule(limits: OperationLimits): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const found = depthOf(operation.selectionSet, fragmentsOf(context), new Set(), (name) => name.startsWith('__'));
      if (found > limits.maxDepth) context.reportError(limitExceeded({ limit: 'depth', max: limits.maxDepth, found, setting: 'GATEWAY_MAX_QUERY_DEPTH', what: 'levels of nesting' }));
    },
  });
}

/** At most maxRootFields fields at the root of an operation (fragments followed; `__typename` free). */
function rootFieldsRule(limits: OperationLimits): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const found = countFields(operation.selectionSet, fragmentsOf(context), new Set(), false);
      if (found > limits.maxRootFields) {
        context.reportError(limitExceeded({ limit: 'rootFields', max: limits.maxRootFields, found, setting: 'GATEWAY_MAX_ROOT_FIELDS', what: 'root fields' }));
      }
    },
  });
}

/** `__schema` and `__type` at most maxIntrospectionFields times, each nested at most maxIntrospectionDepth. */
function introspectionRule(limits: OperationLimits): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const fragments = fragmentsOf(context);
      const found = { fields: 0, depth: 0 };
      walk(operation.selectionSet, fragments, new Set(), (name, selectionSet) => {
        if (name !== '__schema' && name !== '__type') return false;
        found.fields += 1;
        found.depth = Math.max(found.depth, depthOf(selectionSet, fragments, new Set()));
        return true;
      });
      if (found.fields > limits.maxIntrospectionFields) {
        context.reportError(limitExceeded({ limit: 'introspection', max: limits.maxIntrospectionFields, found: found.fields, setting: 'GATEWAY_MAX_INTROSPECTION_FIELDS', what: '__schema and __type fields' }));
      } else if (found.depth > limits.maxIntrospectionDepth) {
        context.reportError(limitExceeded({ limit: 'introspectionDepth', max: limits.maxIntrospectionDepth, found: found.depth, setting: 'GATEWAY_MAX_INTROSPECTION_DEPTH', what: 'levels of introspection nesting' }));
      }
    },
  });
}

function fragmentsOf(context: ValidationContext): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
}

/** Fields of a selection set, through inline fragments and spreads (each spread followed once). */
function countFields(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen: Set<string>, typename: boolean): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += selection.name.value === '__typename' && !typename ? 0 : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countFields(selection.selectionSet, fragments, seen, typename);
    else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && !seen.has(fragment.name.value)) {
        seen.add(fragment.name.value);
        count += countFields(fragment.selectionSet, fragments, seen, typename);
      }
    }
  }
  return count;
}

/** Visits every field; `visit` answering true stops the descent below that field. */
function walk(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen: Set<string>,
  visit: (name: string, selectionSet: SelectionSetNode | undefined) => boolean,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!visit(selection.name.value, selection.selectionSet) && selection.selectionSet) walk(selection.selectionSet, fragments, seen, visit);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, fragments, seen, visit);
    else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && !seen.has(fragment.name.value)) walk(fragment.selectionSet, fragments, new Set([...seen, fragment.name.value]), visit);
    }
  }
}

/** Levels of fields below a selection set (fragments followed, cycles cut), leaving out the fields `skip` names. */
function depthOf(
  selectionSet: SelectionSetNode | undefined,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen: Set<string>,
  skip: (name: string) => boolean = () => false,
): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!skip(selection.name.value)) deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, fragments, seen, skip));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, seen, skip));
    else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && !seen.has(fragment.name.value)) deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, new Set([...seen, fragment.name.value]), skip));
    }
    // Deep enough to refuse: no need to walk the rest.
    if (deepest > 1000) return deepest;
  }
  return deepest;
}
