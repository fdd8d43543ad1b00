/**
 * POST /web/dev-token {"role":"VIEWER"}: a token for that role from the sandbox identity
 * provider, for the dashboard's role switch and the explorers. Only where
 * mayHandOutDevToken allows; the answer is Cache-Control: no-store.
 */
import type { IncomingMessage } from 'node:http';
import type { Settings } from '../../config/settings.ts';
import type { RawRoute } from '../../kit/http-server.ts';
import { logger } from '../../kit/logger.ts';
import { isRole, ROLES } from '../../kit/roles.ts';
import { mayHandOutDevToken } from './dev-token-policy.ts';
import { ErrorCode } from '../../kit/errors.ts';
import { sendError, sendJson } from './send-json.ts';

export const DEV_TOKEN_PATH = '/web/dev-token';
const MAX_BODY_BYTES = 1024;
const PROVIDER_TIMEOUT_MS = 2000;

export function devTokenRoute(settings: Settings): RawRoute {
  return {
    path: DEV_TOKEN_PATH,
    async handle(req, res) {
      if (req.method !== 'POST') return sendError(res, 405, ErrorCode.BAD_REQUEST, 'Use POST.', { Allow: 'POST' });
      if (!mayHandOutDevToken(settings, req)) {
        return sendError(res, 403, ErrorCode.FORBIDDEN, 'Dev tokens are handed out only outside production, and by default only to pages opened on loopback (BROWSER_DEV_TOKENS).');
      }
      // A JSON content type makes a cross-site form post impossible and a cross-origin fetch need a preflight.
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return sendError(res, 415, ErrorCode.BAD_REQUEST, 'Send application/json.');
      const role = roleOf(await readSmallBody(req));
      if (!role) return sendError(res, 400, ErrorCode.BAD_USER_INPUT, `Body must be JSON like {"role":"VIEWER"}; roles: ${ROLES.join(', ')}.`);
      const token = await askProvider(settings.auth.issuer, role);
      if (!token) return sendError(res, 503, ErrorCode.UPSTREAM_UNAVAILABLE, 'The identity provider did not hand out a token.');
      sendJson(res, 200, token);
    },
  };
}

function roleOf(body: string | undefined): string | undefined {
  try {
    const role = (JSON.parse(body ?? '') as { role?: unknown }).role;
    return isRole(role) ? role : undefined;
  } catch {
    return undefined;
  }
}

async function askProvider(issuer: string, role: string): Promise<{ access_token: string; token_type: string; expires_in: number } | undefined> {
  try {
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      // The subject says where the token came from, for the audit log.
      body: JSON.stringify({ role, subject: `browser-${role.toLowerCase()}` }),
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') return undefined;
    return { access_token: body.access_token, token_type: 'Bearer', expires_in: body.expires_in };
  } catch {
    logger.warn('no dev token for a page: the identity provider did not answer');
    return undefined;
  }
}

function readSmallBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    let tooLarge = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (text.length + chunk.length > MAX_BODY_BYTES) tooLarge = true;
      else text += chunk;
    });
    req.on('end', () => resolve(tooLarge ? undefined : text));
    req.on('error', () => resolve(undefined));
  });
}
