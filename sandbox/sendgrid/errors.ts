/** SendGrid v3's error wire format: `{errors:[{field, message}]}` (field null when general). */
import { json, type SandboxResponse } from '../kit/router.ts';

export interface SendGridErrorBody {
  errors: Array<{ field: string | null; message: string }>;
}

export function sendGridErrorBody(field: string | null, message: string): SendGridErrorBody {
  return { errors: [{ field, message }] };
}

/** An error answer, e.g. 400 with the offending query parameter as `field`. */
export function sendGridError(status: number, field: string | null, message: string, headers: Record<string, string> = {}): SandboxResponse {
  return json(status, sendGridErrorBody(field, message), headers);
}

/** Error bodies for what the shared sandbox shell answers itself (faults, unknown routes). */
export function sendGridShellErrorBody(status: number, _code: string, message: string): SendGridErrorBody {
  return sendGridErrorBody(null, status === 429 ? 'too many requests' : message);
}
