/**
 * Apollo Sandbox, embedded at the gateway's URL outside production. When the issuer is the
 * sandbox identity provider, each page load asks it for a fresh ANALYST token and puts it
 * in Sandbox's headers, so an analyst can query at once.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { Settings } from '../config/settings.ts';
import { logger } from '../subgraphs/kit/logger.ts';

const LANDING_ROLE = 'ANALYST';

export function sandboxLandingPage(settings: Settings): ApolloServerPlugin {
  return {
    async serverWillStart(service) {
      return {
        async renderLandingPage() {
          return {
            html: async () => {
              const token = await devToken(settings.auth.issuer);
              const plugin = ApolloServerPluginLandingPageLocalDefault({
                embed: true,
                includeCookies: false,
                ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
              });
              const listener = await plugin.serverWillStart?.(service);
              const page = await listener?.renderLandingPage?.();
              const html = page?.html;
              return typeof html === 'function' ? html() : (html ?? '');
            },
          };
        },
      };
    },
  };
}

async function devToken(issuer: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: LANDING_ROLE, subject: 'sandbox-analyst' }),
      signal: AbortSignal.timeout(2000),
    });
    if (!response.ok) return undefined;
    return ((await response.json()) as { access_token?: string }).access_token;
  } catch {
    logger.warn('no dev token for the landing page: the identity provider did not answer');
    return undefined;
  }
}
