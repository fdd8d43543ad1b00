/**
 * The one error catalogue of the gateway and every subgraph: each code with its HTTP status
 * and what it means, and factories that build GraphQLErrors carrying `extensions.code`.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** Transport level (plain routes, streams, sockets): the request itself is wrong. */
  BAD_REQUEST: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What each code means to a client, and the HTTP status it carries when it ends a request. */
export const ERROR_CATALOGUE: Readonly<Record<ErrorCode, { status: number; meaning: string }>> = {
  UNAUTHENTICATED: { status: 401, meaning: 'No bearer token, or one that is malformed, expired or not signed by the trusted issuer.' },
  FORBIDDEN: { status: 403, meaning: "The caller's roles do not grant the scope this field needs; the field is null." },
  BAD_USER_INPUT: { status: 400, meaning: 'An argument is out of range or malformed; nothing was changed or fetched.' },
  RATE_LIMITED: { status: 429, meaning: 'Too many requests; retry after the number of seconds in Retry-After.' },
  UPSTREAM_UNAVAILABLE: { status: 503, meaning: 'The external API is down or its circuit is open, and nothing cached can stand in.' },
  UPSTREAM_TIMEOUT: { status: 504, meaning: 'The external API did not answer within its time budget.' },
  UPSTREAM_ERROR: { status: 502, meaning: 'The external API answered with an error.' },
  INTERNAL_SERVER_ERROR: { status: 500, meaning: 'Unexpected failure; details are logged, never returned.' },
  BAD_REQUEST: { status: 400, meaning: 'The request is not one this route takes (a subscription over plain HTTP, a stream without Accept: text/event-stream, a body that is not JSON); the message says what to send.' },
  NOT_FOUND: { status: 404, meaning: 'No route at this path.' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The body is larger than the route takes (see README, Limits); nothing of it was read.' },
};

/** Apollo Server's own codes, passed through as they are. */
export const APOLLO_CODES: Readonly<Record<string, string>> = {
  GRAPHQL_PARSE_FAILED: 'The operation is not valid GraphQL, or has more tokens than GATEWAY_MAX_TOKENS.',
  GRAPHQL_VALIDATION_FAILED: 'The operation does not fit the schema.',
  PERSISTED_QUERY_NOT_FOUND: 'The hash is not registered: send the operation text with it once (automatic persisted queries).',
  PERSISTED_QUERY_NOT_SUPPORTED: 'Persisted queries are off.',
  OPERATION_RESOLUTION_FAILURE: 'Several operations and no (or an unknown) operationName.',
};

/** The JSON body of an error that ends a plain (non-GraphQL) request, in the GraphQL error shape. */
export function errorBody(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): { errors: { message: string; extensions: Record<string, unknown> }[] } {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}

export const INTERNAL_MESSAGE = 'Unexpected error.';

function make(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/**
 * For errors that end the whole request (thrown while building the context): the HTTP status
 * rides along. Field errors never set one, since the rest of the response is still good.
 */
function endRequest(error: GraphQLError, headers?: Record<string, string>): GraphQLError {
  const code = error.extensions.code as ErrorCode;
  const http = { status: ERROR_CATALOGUE[code].status, ...(headers ? { headers: new Map(Object.entries(headers)) } : {}) };
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http } });
}

/**
 * A refused bearer token, with the RFC 6750 challenge: `error="invalid_token"` once a token
 * was presented (a missing one only names the scheme).
 */
export const unauthenticated = (message = 'A valid bearer token is required.', { presented = false }: { presented?: boolean } = {}) =>
  endRequest(make(ErrorCode.UNAUTHENTICATED, message), { 'WWW-Authenticate': bearerChallenge(presented ? message : undefined) });

export function bearerChallenge(invalidTokenMessage?: string): string {
  const realm = 'Bearer realm="federated-api"';
  return invalidTokenMessage ? `${realm}, error="invalid_token", error_description="${invalidTokenMessage.replace(/"/g, "'")}"` : realm;
}
export const forbidden = (message = 'Not allowed for your role.') => make(ErrorCode.FORBIDDEN, message);
export const badUserInput = (message: string, argument?: string) =>
  make(ErrorCode.BAD_USER_INPUT, message, argument ? { argument } : {});
export const rateLimited = (retryAfterSeconds: number, headers: Record<string, string> = {}) =>
  endRequest(make(ErrorCode.RATE_LIMITED, `Rate limit exceeded; retry in ${retryAfterSeconds} s.`, { retryAfter: retryAfterSeconds }), {
    'Retry-After': String(retryAfterSeconds),
    ...headers,
  });
export const upstreamUnavailable = (api: string) => make(ErrorCode.UPSTREAM_UNAVAILABLE, `${api} is unavailable.`, { api });
export const upstreamTimeout = (api: string) => make(ErrorCode.UPSTREAM_TIMEOUT, `${api} did not answer in time.`, { api });
export const upstreamError = (api: string, message = `${api} answered with an error.`) => make(ErrorCode.UPSTREAM_ERROR, message, { api });
export const internalError = () => make(ErrorCode.INTERNAL_SERVER_ERROR, INTERNAL_MESSAGE);

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * Shapes an error for a response: known codes pass as they are, anything else (a bug, a
 * library's internal error) becomes INTERNAL_SERVER_ERROR with its message and stack hidden.
 * Apollo's own validation codes (GRAPHQL_VALIDATION_FAILED, ...) pass too.
 */
export function maskUnexpectedError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? '');
  const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
  if (KNOWN_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) return { ...formatted, extensions };
  if (code in APOLLO_CODES) {
    return { ...formatted, extensions };
  }
  return { message: INTERNAL_MESSAGE, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
