/** What the gateway tells its pages about sign-in (GET /web/config, see gateway/web/). */
export interface WebConfig {
  /** Dev tokens may be minted from this page (outside production, per BROWSER_DEV_TOKENS). */
  readonly devTokens: boolean;
  /** The deployment's OIDC login, when one is configured. */
  readonly oidc: { readonly authority: string; readonly clientId: string; readonly scope: string } | null;
}

export async function loadWebConfig(): Promise<WebConfig> {
  const response = await fetch('/web/config', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`the gateway answered ${response.status} for its page settings`);
  return (await response.json()) as WebConfig;
}
