/**
 * The Google Analytics Data API sandbox: runReport (GA4, v1beta) over deterministic traffic
 * of one property, Google's OAuth2 refresh-token endpoint, Google's error format, inside the
 * shared sandbox shell (admin surface, faults).
 */
import { Router } from '../kit/router.ts';
import { startSandbox, type Faults, type RunningSandbox } from '../kit/sandbox-server.ts';
import { googleShellErrorBody } from './errors.ts';
import { RefreshTokenIssuer } from './oauth.ts';
import { mountDataApiRoutes } from './routes.ts';

export interface GoogleAnalyticsSandboxOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** The property whose data the sandbox holds (numeric id). */
  propertyId: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Lifetime of the access tokens it grants. */
  tokenTtlSeconds: number;
  faults?: Partial<Faults>;
  /** The clock of token expiry and relative dates (`today`, `7daysAgo`); injected by tests. */
  now?: () => number;
}

/** Starts the sandbox; its `url` is both the API base URL and, with `/token`, the token URL. */
export function startGoogleAnalytics(options: GoogleAnalyticsSandboxOptions): Promise<RunningSandbox> {
  const now = options.now ?? Date.now;
  const { clientId, clientSecret, refreshToken, tokenTtlSeconds } = options;
  const issuer = new RefreshTokenIssuer({ clientId, clientSecret, refreshToken, tokenTtlSeconds, now });
  const routes = mountDataApiRoutes(issuer.mount(new Router()), { propertyId: options.propertyId, issuer, now });
  return startSandbox({
    name: 'google-analytics',
    ...(options.host !== undefined ? { host: options.host } : {}),
    port: options.port,
    routes,
    ...(options.faults !== undefined ? { faults: options.faults } : {}),
    // Reset keeps issued tokens: resetting data does not sign clients out (expire-tokens does).
    errorBody: googleShellErrorBody,
  });
}
