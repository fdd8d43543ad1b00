/**
 * The explorer's schema: the gateway's API schema by introspection over HTTP, extended with
 * the Subscription root the gateway serves over graphql-ws (which HTTP introspection does not
 * show), from the same definition the gateway uses.
 */
import { buildClientSchema, getIntrospectionQuery, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { subscriptionSchema } from '../../gateway/subscriptions/schema.ts';
import { GRAPHQL_URL } from '../shared/endpoints.ts';

export async function loadSchema(authorization: string | undefined): Promise<GraphQLSchema> {
  const response = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const body = (await response.json()) as { data?: IntrospectionQuery; errors?: { message: string }[] };
  if (!body.data) throw new Error(body.errors?.[0]?.message ?? `introspection answered ${response.status}`);
  return subscriptionSchema(buildClientSchema(body.data));
}
