/**
 * The Data API routes of the sandbox: `POST /v1beta/properties/{id}:runReport` behind the
 * OAuth2 access token, for the one property whose data the sandbox holds.
 */
import { json, Router, type SandboxRequest, type SandboxResponse } from '../kit/router.ts';
import { googleError, InvalidArgument } from './errors.ts';
import type { RefreshTokenIssuer } from './oauth.ts';
import { readReportRequest } from './report-request.ts';
import { runReport } from './run-report.ts';

export interface DataApiRoutesOptions {
  /** The property the credentials may read (numeric id, without `properties/`). */
  propertyId: string;
  issuer: RefreshTokenIssuer;
  now: () => number;
}

export function mountDataApiRoutes(router: Router, { propertyId, issuer, now }: DataApiRoutesOptions): Router {
  return router.on('POST', '/v1beta/properties/:call', (request) => {
    const refused = issuer.check(request);
    if (refused) return refused;
    return runReportRoute(request, propertyId, now);
  });
}

function runReportRoute({ params, body }: SandboxRequest, propertyId: string, now: () => number): SandboxResponse {
  const match = /^([^:]*):(\w+)$/.exec(params.call ?? '');
  if (!match || match[2] !== 'runReport') return googleError(404, 'Method not found.');
  const id = match[1] as string;
  if (!/^\d{1,20}$/.test(id)) return googleError(400, `Invalid property ID: ${id.slice(0, 40)}. A numeric property ID is required.`);
  if (id !== propertyId) return googleError(403, 'User does not have sufficient permissions for this property.');
  try {
    return json(200, runReport(propertyId, readReportRequest(body, now())));
  } catch (error) {
    if (error instanceof InvalidArgument) return googleError(400, error.message);
    throw error;
  }
}
