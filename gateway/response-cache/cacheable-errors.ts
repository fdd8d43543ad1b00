/**
 * Which errors an answer may be kept with. A FORBIDDEN field is decided by the caller's
 * roles and scopes alone, which are part of the key: every caller served from the entry
 * would meet the same denial (and its FORBIDDEN audit event is written again for each).
 * Any other error (an upstream down, bad input, a limit) says something about this moment
 * or this request, and the answer is not kept.
 */
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../kit/errors.ts';

export function onlyCacheableErrors(errors: readonly GraphQLFormattedError[] | undefined): boolean {
  return (errors ?? []).every((error) => error.extensions?.code === ErrorCode.FORBIDDEN);
}

/** The stored errors as this request's own: its request id, not the one that built the entry. */
export function errorsFor(errors: readonly GraphQLFormattedError[], requestId: string | undefined): GraphQLFormattedError[] {
  return errors.map((error) => {
    if (!error.extensions || !('requestId' in error.extensions)) return error;
    const { requestId: _built, ...extensions } = error.extensions;
    return { ...error, extensions: requestId ? { ...extensions, requestId } : extensions };
  });
}
