/**
 * The estimated cost of an operation, checked once its variables are known and before it
 * runs: about how many objects the answer would hold. A field that takes `first` holds that
 * many of what it selects (50 plants with 50 readings each is 2,500 objects); a list
 * without one is assumed to hold `assumedListSize`; scalars and introspection are free
 * (introspection has its own limits, operation-rules.ts). graphql-query-
 * complexity walks the operation; the estimator is ours.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { getNamedType, isCompositeType, isListType, isNonNullType, type GraphQLOutputType } from 'graphql';
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

export function costLimitPlugin(limits: Limits['operation']): ApolloServerPlugin<GatewayContext> {
  const estimators = [objectsEstimator(limits.assumedListSize)];
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          let found: number;
          try {
            found = getComplexity({ schema, query: document, estimators, ...(request.variables ? { variables: request.variables } : {}), ...(request.operationName ? { operationName: request.operationName } : {}) });
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
