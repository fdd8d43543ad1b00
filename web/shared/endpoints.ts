/** The gateway's GraphQL endpoints, on the origin that served the page. */
export const GRAPHQL_URL = new URL('/graphql', location.href).href;
export const SUBSCRIPTIONS_URL = GRAPHQL_URL.replace(/^http/, 'ws');
