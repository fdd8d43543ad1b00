/**
 * GET /web/config: what a page needs to sign in. Whether dev tokens are on offer depends on
 * who asks (see dev-token-policy.ts), so the answer is never cached.
 */
import type { Settings } from '../../config/settings.ts';
import type { RawRoute } from '../../kit/http-server.ts';
import { mayHandOutDevToken } from './dev-token-policy.ts';
import { ErrorCode } from '../../kit/errors.ts';
import { sendError, sendJson } from './send-json.ts';

export const CONFIG_PATH = '/web/config';

export function configRoute(settings: Settings): RawRoute {
  return {
    path: CONFIG_PATH,
    async handle(req, res) {
      if (req.method !== 'GET') return sendError(res, 405, ErrorCode.BAD_REQUEST, 'Use GET.', { Allow: 'GET' });
      req.resume();
      sendJson(res, 200, { devTokens: mayHandOutDevToken(settings, req), oidc: settings.web.oidc ?? null });
    },
  };
}
