/**
 * The core banking API's wire format for failures, `{errors:[{code, message}]}`, and the
 * reading of its JSON request bodies.
 */
import { json, type SandboxResponse } from '../kit/router.ts';

/** One problem, as the API reports it in `errors`. */
export interface ApiError {
  readonly code: string;
  readonly message: string;
}

/** A failure answer in the API's format. */
export function errorResponse(status: number, code: string, message: string): SandboxResponse {
  return json(status, errorBody(code, message));
}

/** The API's error body; also handed to the sandbox shell so injected faults match it. */
export function errorBody(code: string, message: string): { errors: ApiError[] } {
  // The shell names its codes in lower case (service_unavailable); this API shouts.
  return { errors: [{ code: code.toUpperCase(), message }] };
}

/**
 * The named string fields of a JSON object body, or the 400 to send when the body is not
 * JSON, not an object, or lacks one of them (empty strings count as missing).
 */
export function readStringFields<const K extends string>(body: string, names: readonly K[]): Record<K, string> | SandboxResponse {
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return errorResponse(400, 'BAD_REQUEST', 'Body must be JSON');
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) return errorResponse(400, 'BAD_REQUEST', 'Body must be a JSON object');
  const fields = {} as Record<K, string>;
  const missing: string[] = [];
  for (const name of names) {
    const value = (input as Record<string, unknown>)[name];
    if (typeof value === 'string' && value.trim() !== '') fields[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) return errorResponse(400, 'BAD_REQUEST', `Missing or non-string field(s): ${missing.join(', ')}`);
  return fields;
}

/** True for the 400 returned by readStringFields (a response has a numeric status). */
export function isResponse(value: object): value is SandboxResponse {
  return typeof (value as { status?: unknown }).status === 'number';
}
