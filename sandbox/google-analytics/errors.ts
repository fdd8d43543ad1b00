/**
 * Google's JSON error format (google.rpc.Status over HTTP): `{error:{code, message, status}}`,
 * where `code` repeats the HTTP status and `status` names the canonical error.
 */
import { json, type SandboxResponse } from '../kit/router.ts';

export interface GoogleErrorBody {
  error: { code: number; message: string; status: string };
}

/** The canonical status Google names for each HTTP status the sandbox answers. */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export function googleErrorBody(code: number, message: string): GoogleErrorBody {
  return { error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN' } };
}

export function googleError(code: number, message: string): SandboxResponse {
  return json(code, googleErrorBody(code, message));
}

/** Error bodies for what the shared sandbox shell answers itself (faults, unknown routes). */
export function googleShellErrorBody(status: number, _code: string, message: string): GoogleErrorBody {
  if (status === 429) return googleErrorBody(429, 'Exhausted property tokens per hour for this property.');
  if (status === 500) return googleErrorBody(500, 'Internal error encountered.');
  if (status === 503) return googleErrorBody(503, 'The service is currently unavailable.');
  return googleErrorBody(status, message);
}

/** A request the API refuses with 400 INVALID_ARGUMENT, thrown while reading it. */
export class InvalidArgument extends Error {
  override readonly name = 'InvalidArgument';
}
