/**
 * The SendGrid sandbox: v3 global stats and bounces over deterministic data, bearer API key,
 * a real rate-limit window, inside the shared sandbox shell (admin surface, faults).
 */
import { startSandbox, type Faults, type RunningSandbox } from '../kit/sandbox-server.ts';
import { createBounces } from './bounces.ts';
import { sendGridShellErrorBody } from './errors.ts';
import { RateLimitWindow, type RateLimitOptions } from './rate-limit-window.ts';
import { sendGridRoutes } from './routes.ts';

/** The API key dev and tests use by default (made up; SendGrid keys start with `SG.`). */
export const SENDGRID_SANDBOX_API_KEY = 'SG.sandbox-plantops.local-dev-key-not-a-secret';

export interface SendGridSandboxOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** The one API key the sandbox accepts. */
  apiKey: string;
  faults?: Partial<Faults>;
  /** Requests per window and window length (default 600 per 60 s); `now` for tests. */
  rateLimit?: RateLimitOptions;
}

/** Starts the SendGrid sandbox; use its `url` as the client's base URL. */
export function startSendGrid(options: SendGridSandboxOptions): Promise<RunningSandbox> {
  const rateLimit = new RateLimitWindow(options.rateLimit);
  return startSandbox({
    name: 'sendgrid',
    ...(options.host ? { host: options.host } : {}),
    port: options.port,
    routes: sendGridRoutes({ apiKey: options.apiKey, bounces: createBounces(), rateLimit }),
    ...(options.faults ? { faults: options.faults } : {}),
    onReset: () => rateLimit.reset(),
    errorBody: sendGridShellErrorBody,
  });
}
