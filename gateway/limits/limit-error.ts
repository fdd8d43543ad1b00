/** The refusal of an operation over a limit: which limit, its value and setting, what was found. */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../kit/errors.ts';

export interface LimitExceeded {
  /** Names the limit: aliases, depth, directives, rootFields, introspection, introspectionDepth, cost, tokens. */
  limit: string;
  max: number;
  found: number;
  setting: string;
  /** "aliases", "levels deep", ... */
  what: string;
}

export function limitExceeded({ limit, max, found, setting, what }: LimitExceeded): GraphQLError {
  return new GraphQLError(`The operation has ${found} ${what}; the limit is ${max} (${setting}).`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, limit, max, found, setting, http: { status: 400 } },
  });
}

/**
 * Limit refusals travel through Apollo's validation, which renames their code, and the token
 * limit is the parser's: both answer BAD_USER_INPUT naming the limit, as the others do.
 */
export function asLimitRefusal(formatted: GraphQLFormattedError, maxTokens: number): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code === 'GRAPHQL_VALIDATION_FAILED' && typeof formatted.extensions?.limit === 'string') {
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT } };
  }
  if (code === 'GRAPHQL_PARSE_FAILED' && /contains more tha[nt] \d+ tokens/.test(formatted.message)) {
    const { message, extensions } = limitExceeded({ limit: 'tokens', max: maxTokens, found: maxTokens + 1, setting: 'GATEWAY_MAX_TOKENS', what: 'tokens or more' });
    const { http: _http, ...rest } = extensions;
    return { message, extensions: rest };
  }
  return formatted;
}
