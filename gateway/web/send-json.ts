/** A JSON answer on a raw route, never cached: the pages' routes answer per requester. */
import type { ServerResponse } from 'node:http';
import { errorBody, type ErrorCode } from '../../kit/errors.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** An error body from the catalogue (`errors[].extensions.code`, kit/errors.ts). */
export function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, errorBody(code, message), headers);
}
