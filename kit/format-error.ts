/**
 * The formatError of the gateway and every subgraph: the catalogue's masking (unknown errors
 * become INTERNAL_SERVER_ERROR with nothing of their insides), the stack of such an error
 * logged at error level where an engineer can read it, and the request id on every error.
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ErrorCode, INTERNAL_MESSAGE, maskUnexpectedError } from './errors.ts';
import { logger } from './logger.ts';
import { currentRequestId } from './service-scope.ts';

export function formatResponseError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const masked = maskUnexpectedError(formatted);
  // A message already masked came masked from a subgraph, which logged it.
  if (masked.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR && formatted.message !== INTERNAL_MESSAGE) {
    logger.error('unexpected error', { err: unwrapResolverError(error), path: formatted.path?.join('.') });
  }
  const requestId = currentRequestId();
  return requestId ? { ...masked, extensions: { ...masked.extensions, requestId } } : masked;
}
