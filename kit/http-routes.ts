/** The plain (non-GraphQL) routes a service's HTTP front serves: health, metrics, webhooks, pages, streams. */
import type http from 'node:http';
import type { AuditEventInput } from './audit-event.ts';

export interface PlainRequest {
  /** Where the request came from (kit/client-address.ts). */
  address: string;
  /**
   * Audits a refused request (a bad webhook signature) under the address's refusal cap
   * (kit/refusals.ts); false once past it (answer 429).
   */
  refused(event: AuditEventInput): Promise<boolean>;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Raw body text (webhook signatures are computed over it). */
  body: string;
}

export interface PlainResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface PlainRoute {
  method: 'GET' | 'POST';
  path: string;
  /** Largest body this route takes (webhooks take less than GraphQL). @default the server's */
  maxBodyBytes?: number;
  handle(request: PlainRequest): Promise<PlainResponse> | PlainResponse;
}

/** A route that handles the raw request itself (streams such as Server-Sent Events, static files). */
export interface RawRoute {
  path: string;
  /** Also handles every path under `path/` (a folder of static files). */
  prefix?: boolean;
  handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
}
