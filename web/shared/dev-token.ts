/**
 * Dev tokens for the pages (outside production): the gateway asks the sandbox identity
 * provider for one and answers with Cache-Control: no-store. Never stored by the page.
 */
export interface DevToken {
  readonly accessToken: string;
  /** When it expires (ms since the epoch). */
  readonly expiresAt: number;
}

export async function fetchDevToken(role: string): Promise<DevToken> {
  const response = await fetch('/web/dev-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role }),
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`no dev token for ${role}: the gateway answered ${response.status}`);
  const body = (await response.json()) as { access_token: string; expires_in: number };
  return { accessToken: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
}
