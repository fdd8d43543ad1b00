/** What the bench drives and measures, however it was started (child processes, or in this process in a test). */
import type { Role } from '../kit/roles.ts';
import { requestBody, type Operation } from './operations.ts';
import type { LoadRequest } from './load.ts';

export interface GatewayUnderTest {
  readonly name: string;
  /** Its /graphql URL. */
  readonly url: string;
  /** The process it runs in (its CPU and memory are read from there). */
  readonly pid: number;
  /** Ours: sent trusted documents by hash, and what the others are compared to. */
  readonly ours: boolean;
}

export interface TierUnderTest {
  /** The process the subgraphs run in. */
  readonly pid: number;
  /** Requests the sandbox upstreams have answered so far, all together. */
  upstreamRequests(): Promise<number>;
}

/** A caller's bearer token for each role. */
export type TokenFor = (role: Role) => string;

/** The requests of these operations as this gateway is sent them. */
export function loadRequests(gateway: GatewayUnderTest, operations: readonly Operation[], tokenFor: TokenFor): LoadRequest[] {
  return operations.map((operation) => ({ body: requestBody(operation, gateway.ours), headers: { authorization: `Bearer ${tokenFor(operation.role)}` } }));
}

/** One request, its status and parsed body. */
export async function send(gateway: GatewayUnderTest, request: LoadRequest): Promise<{ status: number; body: { data?: unknown; errors?: unknown } }> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: request.body });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as { data?: unknown; errors?: unknown } };
  } catch {
    return { status: response.status, body: { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] } };
  }
}
