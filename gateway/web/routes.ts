/** Every route of the gateway's browser pages (the landing page itself is an Apollo plugin). */
import type { Settings } from '../../config/settings.ts';
import type { RawRoute } from '../../kit/http-server.ts';
import { configRoute } from './config-route.ts';
import { devTokenRoute } from './dev-token-route.ts';
import { staticPageRoutes } from './static-pages.ts';

export { DASHBOARD_PATH, EXPLORER_PATH } from './static-pages.ts';

export function webRoutes(settings: Settings): RawRoute[] {
  return [configRoute(settings), devTokenRoute(settings), ...staticPageRoutes(settings)];
}
