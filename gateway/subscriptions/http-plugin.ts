/**
 * How plain HTTP sees the subscription root that @apollo/gateway does not serve:
 * introspection shows it (so Apollo Sandbox and GraphiQL find `plantDowntime`), and a
 * subscription posted over HTTP is refused with a 400 that says where to send it.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { executeSync, GraphQLError, Kind, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { ErrorCode } from '../../kit/errors.ts';
import type { GatewayContext } from '../context.ts';
import { SSE_PATH } from './server.ts';

export const SUBSCRIPTION_OVER_HTTP_MESSAGE = `Subscriptions are not served over HTTP POST: use graphql-ws (WebSocket, subprotocol graphql-transport-ws) on this URL, or graphql-sse at ${SSE_PATH}.`;

/** `schema` is the API schema with the subscription root (gateway/subscriptions/schema.ts). */
export function subscriptionRootOverHttp(schema: () => GraphQLSchema | undefined): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError(SUBSCRIPTION_OVER_HTTP_MESSAGE, { extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } } });
          }
        },
        async responseForOperation({ operation, document, request, response }) {
          const withSubscriptions = schema();
          if (!withSubscriptions || !operation || !introspectionOnly(operation.selectionSet, fragmentsOf(document.definitions))) return null;
          const { data, errors } = executeSync({
            schema: withSubscriptions,
            document,
            ...(request.operationName ? { operationName: request.operationName } : {}),
            ...(request.variables ? { variableValues: request.variables } : {}),
          });
          return { http: response.http, body: { kind: 'single', singleResult: { data: data ?? null, ...(errors ? { errors: errors.map((error) => error.toJSON()) } : {}) } } };
        },
      };
    },
  };
}

function fragmentsOf(definitions: readonly { kind: Kind }[]): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set((definition as FragmentDefinitionNode).name.value, definition as FragmentDefinitionNode);
  }
  return fragments;
}

/** True when every root field is `__schema`, `__type` or `__typename` (fragments followed). */
function introspectionOnly(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__');
    if (selection.kind === Kind.INLINE_FRAGMENT) return introspectionOnly(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    const fragment = fragments.get(name);
    if (!fragment || seen.has(name)) return true;
    return introspectionOnly(fragment.selectionSet, fragments, new Set([...seen, name]));
  });
}
