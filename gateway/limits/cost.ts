/**
 * The estimated cost of an operation, checked once its variables are known and before it
 * runs: about how many objects the answer would hold. A field that takes `first` holds that
 * many of what it selects (50 plants with 50 readings each is 2,500 objects); a list
 * without one is assumed to hold `assumedListSize`; scalars and introspection are free
 * (introspection has its own limits, operation-rules.ts). graphql-query-
 * complexity walks the operation; the estimator is ours.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { getNamedType, isCompositeType, isListType, isNonNullType, type DocumentNode, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Limits } from '../../config/limits.ts';
import type { GatewayContext } from '../context.ts';
import { limitExceeded } from './limit-error.ts';

/** Objects in the answer of one field: itself (when an object) and, per item, what it selects. */
function objectsEstimator(assumedListSize: number): ComplexityEstimator {
  return ({ field, args, childComplexity, type }) => {
    // Introspection is answered from the schema in memory and has limits of its own.
    if (field.name.startsWith('__') || type.name.startsWith('__')) return 0;
    if (!isCompositeType(getNamedType(field.type))) return 0;
    // The edges of a connection are the page its parent's `first` already counted.
    if (field.name === 'edges' && type.name.endsWith('Connection')) return childComplexity;
    const first = typeof args.first === 'number' ? args.first : undefined;
    const items = first ?? (isList(field.type) ? assumedListSize : 1);
    return 1 + items * childComplexity;
  };
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** Estimates kept per operation: widgets send the same few documents with the same variables. */
const ESTIMATES_PER_DOCUMENT = 64;

export function costLimitPlugin(limits: Limits['operation']): ApolloServerPlugin<GatewayContext> {
  const estimators = [objectsEstimator(limits.assumedListSize)];
  // By schema and parsed document (Apollo hands the same parsed document for the same
  // text), then by operation name and variables: walking the operation again would find
  // the same number.
  const estimates = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number>>>();
  const estimate = (schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined): number => {
    let bySchema = estimates.get(schema);
    if (!bySchema) estimates.set(schema, (bySchema = new WeakMap()));
    let byDocument = bySchema.get(document);
    if (!byDocument) bySchema.set(document, (byDocument = new Map()));
    const key = `${operationName ?? ''}\n${JSON.stringify(variables ?? {})}`;
    const known = byDocument.get(key);
    if (known !== undefined) return known;
    const found = getComplexity({ schema, query: document, estimators, ...(variables ? { variables } : {}), ...(operationName ? { operationName } : {}) });
    if (byDocument.size >= ESTIMATES_PER_DOCUMENT) byDocument.delete(byDocument.keys().next().value!);
    byDocument.set(key, found);
    return found;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          let found: number;
          try {
            found = estimate(schema, document, request.variables, request.operationName);
          } catch {
            // Variables that do not fit the operation: execution refuses them with BAD_USER_INPUT before any work.
            return;
          }
          if (found > limits.maxCost) throw limitExceeded({ limit: 'cost', max: limits.maxCost, found, setting: 'GATEWAY_MAX_COST', what: 'objects in its estimated answer' });
        },
      };
    },
  };
}
