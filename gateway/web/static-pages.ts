/**
 * The built browser pages (web/dist, made by `npm run build:web`): /dashboard always, the
 * offline explorer outside production, and their /assets. Files are looked up per request,
 * so a rebuild under a running gateway is picked up; ETags let browsers revalidate.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import type { Settings } from '../../config/settings.ts';
import type { RawRoute } from '../../kit/http-server.ts';
import { ErrorCode } from '../../kit/errors.ts';
import { sendError } from './send-json.ts';

export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));
export const DASHBOARD_PATH = '/dashboard';
export const EXPLORER_PATH = '/explorer';
const ASSETS_PATH = '/assets';

export function staticPageRoutes(settings: Settings): RawRoute[] {
  const files = sirv(WEB_DIST_DIR, { dev: true, etag: true, extensions: ['html'] });
  const paths = [DASHBOARD_PATH, ASSETS_PATH, ...(settings.mode === 'production' ? [] : [EXPLORER_PATH])];
  return paths.map((path) => ({
    path,
    prefix: true,
    async handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, ErrorCode.BAD_REQUEST, 'Use GET.', { Allow: 'GET, HEAD' });
      if (!existsSync(WEB_DIST_DIR)) return sendError(res, 503, ErrorCode.INTERNAL_SERVER_ERROR, 'The browser pages are not built: run `npm run build:web`.');
      files(req, res, () => sendError(res, 404, ErrorCode.NOT_FOUND, 'Not found.'));
    },
  }));
}
