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
};

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

export const unauthenticated = (message = 'A valid bearer token is required.') => endRequest(make(ErrorCode.UNAUTHENTICATED, message));
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
  if (code.startsWith('GRAPHQL_') || code === 'PERSISTED_QUERY_NOT_FOUND' || code === 'PERSISTED_QUERY_NOT_SUPPORTED' || code === 'OPERATION_RESOLUTION_FAILURE' || code === 'BAD_REQUEST') {
    return { ...formatted, extensions };
  }
  return { message: INTERNAL_MESSAGE, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
