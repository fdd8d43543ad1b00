/**
 * What one GraphQL request did, gathered while it runs (by the access-log plugin) and turned
 * into its access line and latency sample when the answer is sent.
 */
export type Outcome = 'success' | 'partial' | 'error';

export interface AccessRecord {
  /** Set once the GraphQL layer saw the request (a landing page is not a GraphQL request). */
  graphql: boolean;
  operationName?: string;
  /** Subject of the verified caller; never the token. */
  subject?: string;
  /** extensions.code of every error in the answer. */
  readonly errorCodes: Set<string>;
  /** Whether the answer carried data (partial data is still an answer). */
  hasData: boolean;
  /** Whether an expired cache entry was served for it (an upstream failing): such an answer is not to be kept. */
  staleServed?: boolean;
}

export function newAccessRecord(): AccessRecord {
  return { graphql: false, errorCodes: new Set(), hasData: false };
}

/** success: no errors; partial: data and errors; error: a refused or failed request. */
export function outcomeOf(record: AccessRecord, status: number): Outcome {
  if (status >= 400) return 'error';
  if (record.errorCodes.size === 0) return 'success';
  return record.hasData ? 'partial' : 'error';
}

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/** An operation name as a client sent it, kept only when it is a plain GraphQL name. */
export function safeOperationName(value: unknown): string | undefined {
  return typeof value === 'string' && OPERATION_NAME.test(value) ? value : undefined;
}
