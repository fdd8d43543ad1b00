/**
 * Sends an operation the way Apollo's automatic persisted queries do: first by hash alone
 * (`extensions.persistedQuery`), and with its text only when the gateway answers
 * PERSISTED_QUERY_NOT_FOUND. Operations the gateway preregisters by hash therefore never
 * travel as text; the others are registered by the first request that sends them.
 */
import { GRAPHQL_URL } from './endpoints.ts';

export interface Operation {
  readonly name: string;
  readonly text: string;
  readonly sha256Hash: string;
}

export interface GraphQLErrorBody {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string; readonly [key: string]: unknown };
}

export interface OperationResult<T> {
  readonly data: T | null;
  readonly errors: readonly GraphQLErrorBody[];
}

/** The request failed as a whole: no answer, an answer that is not GraphQL, or a refusal. */
export class RequestFailed extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';

export async function runOperation<T>(operation: Operation, variables: Record<string, unknown>, token: string, signal?: AbortSignal): Promise<OperationResult<T>> {
  const extensions = { persistedQuery: { version: 1, sha256Hash: operation.sha256Hash } };
  const byHash = await post<T>({ variables, extensions }, token, signal);
  if (!byHash.errors.some((error) => error.extensions?.code === NOT_FOUND)) return byHash;
  return post<T>({ query: operation.text, variables, extensions }, token, signal);
}

async function post<T>(body: Record<string, unknown>, token: string, signal: AbortSignal | undefined): Promise<OperationResult<T>> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new RequestFailed('The gateway cannot be reached.', 'NETWORK_ERROR');
  }
  let parsed: { data?: T | null; errors?: GraphQLErrorBody[] };
  try {
    parsed = (await response.json()) as typeof parsed;
  } catch {
    throw new RequestFailed(`The gateway answered ${response.status} without a GraphQL body.`, 'BAD_RESPONSE');
  }
  const errors = parsed.errors ?? [];
  // A refused request (401, 429, ...) has no data at all: the widget shows why.
  if (!response.ok && parsed.data == null) {
    const first = errors[0];
    throw new RequestFailed(first?.message ?? `The gateway answered ${response.status}.`, first?.extensions?.code ?? `HTTP_${response.status}`);
  }
  return { data: parsed.data ?? null, errors };
}
