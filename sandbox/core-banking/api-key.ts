/** The `X-API-Key` check of the core banking calendar API. */
import { timingSafeEqual } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../kit/router.ts';
import { errorResponse } from './wire.ts';

/** Undefined when the request carries the expected key, else the 401 to send. */
export function checkApiKey(request: SandboxRequest, expected: string): SandboxResponse | undefined {
  const given = Buffer.from(String(request.headers['x-api-key'] ?? ''));
  const wanted = Buffer.from(expected);
  // Constant time, so the key cannot be guessed byte by byte from response times.
  if (given.length === wanted.length && timingSafeEqual(given, wanted)) return undefined;
  return errorResponse(401, 'INVALID_API_KEY', 'Missing or wrong X-API-Key header');
}
