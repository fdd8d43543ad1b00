/**
 * The request id of an incoming request: the caller's `x-request-id` when the caller is
 * trusted to choose it (the gateway's own calls to subgraphs, a proxy in front of the
 * gateway when GATEWAY_TRUST_REQUEST_ID is on) and it looks like an id, a new UUID otherwise.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

// Ids go into log lines and audit rows: nothing but a short run of plain characters.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(headers: IncomingHttpHeaders, trustIncoming: boolean): string {
  const incoming = headers[REQUEST_ID_HEADER];
  if (trustIncoming && typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming)) return incoming;
  return randomUUID();
}
