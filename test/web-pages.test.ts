/**
 * The gateway's browser-page routes over HTTP: the landing page carries no token, dev tokens
 * come only from /web/dev-token, never cached, and only where BROWSER_DEV_TOKENS allows.
 */
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadSettings } from '../config/settings.ts';
import { isLoopbackAddress, isLoopbackHost, mayHandOutDevToken } from '../gateway/web/dev-token-policy.ts';
import { staticPageRoutes } from '../gateway/web/static-pages.ts';
import { startTestStack, type TestStack } from './support/stack.ts';

/** A GET or POST with a Host header of our choosing (fetch does not let one be set). */
function request(url: string, options: { method?: string; host?: string; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method: options.method ?? 'GET',
        headers: { ...(options.host ? { host: options.host } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}), accept: 'text/html,application/json' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser page routes', () => {
  let stack: TestStack;
  let origin: string;
  beforeAll(async () => {
    stack = await startTestStack();
    origin = new URL(stack.gateway!.url).origin;
  });
  afterAll(async () => {
    await stack.close();
  });

  it('serves a landing page without any token in it, that falls back to the local explorer', async () => {
    const page = await request(stack.gateway!.url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('embeddable-sandbox');
    expect(page.body).toContain('/explorer');
    expect(page.body).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT
  });

  it('hands a page on loopback a dev token for a role, with Cache-Control: no-store', async () => {
    const config = await fetch(`${origin}/web/config`);
    expect(config.headers.get('cache-control')).toBe('no-store');
    await expect(config.json()).resolves.toEqual({ devTokens: true, oidc: null });

    const minted = await fetch(`${origin}/web/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'AUDITOR' }) });
    expect(minted.status).toBe(200);
    expect(minted.headers.get('cache-control')).toBe('no-store');
    const { access_token: token } = (await minted.json()) as { access_token: string };
    const { body } = await stack.query<{ auditChainStatus: { valid: boolean } }>('{ auditChainStatus { valid } }', { token });
    expect(body.errors).toBeUndefined();
    expect(body.data!.auditChainStatus.valid).toBe(true);
  });

  it('refuses a dev token to a page whose Host is not loopback (a rebound DNS name)', async () => {
    const host = `dashboard.example.org:${new URL(origin).port}`;
    const config = await request(`${origin}/web/config`, { host });
    expect(JSON.parse(config.body)).toMatchObject({ devTokens: false });
    const minted = await request(`${origin}/web/dev-token`, { method: 'POST', host, body: JSON.stringify({ role: 'ADMIN' }) });
    expect(minted.status).toBe(403);
    expect(minted.headers['cache-control']).toBe('no-store');
    expect(minted.body).not.toMatch(/access_token/);
  });

  it('refuses unknown roles, other methods and other content types', async () => {
    const badRole = await fetch(`${origin}/web/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'ROOT' }) });
    expect(badRole.status).toBe(400);
    const get = await fetch(`${origin}/web/dev-token`);
    expect(get.status).toBe(405);
    const form = await fetch(`${origin}/web/dev-token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'role=ADMIN' });
    expect(form.status).toBe(415);
  });

  // 503 while the pages are not built (another test file may be rebuilding them).
  it('answers 404 under the pages for files that do not exist, without leaving the folder', async () => {
    const missing = await request(`${origin}/assets/no-such-file.js`);
    expect([404, 503]).toContain(missing.status);
    const traversal = await request(`${origin}/assets/..%2f..%2fpackage.json`);
    expect([404, 503]).toContain(traversal.status);
    expect(traversal.body).not.toContain('"dependencies"');
  });
});

describe('dev token policy', () => {
  const asked = (remoteAddress: string, host: string) => ({ socket: { remoteAddress }, headers: { host } }) as unknown as IncomingMessage;
  const production = {
    NODE_ENV: 'production',
    ...Object.fromEntries(
      ['AUTH_ISSUER', 'PLANT_API_URL', 'CORE_BANKING_URL', 'STRIPE_URL', 'SENDGRID_URL', 'GOOGLE_ANALYTICS_URL', 'GOOGLE_ANALYTICS_TOKEN_URL'].map((name) => [name, 'https://upstream.example']),
    ),
    ...Object.fromEntries(
      ['INTERNAL_TOKEN_SECRET', 'METRICS_TOKEN', 'PLANT_API_CLIENT_SECRET', 'PLANT_WEBHOOK_SECRET', 'CORE_BANKING_CLIENT_SECRET', 'CORE_BANKING_API_KEY', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRETS', 'SENDGRID_API_KEY', 'GOOGLE_ANALYTICS_CLIENT_ID', 'GOOGLE_ANALYTICS_CLIENT_SECRET', 'GOOGLE_ANALYTICS_REFRESH_TOKEN'].map((name) => [name, 'a-secret-long-enough-for-production-000000']),
    ),
    GOOGLE_ANALYTICS_PROPERTY_ID: '250000001',
  };

  it('by default allows loopback sockets asking for a loopback host only', () => {
    const settings = loadSettings({});
    expect(settings.web.devTokens).toBe('loopback');
    expect(mayHandOutDevToken(settings, asked('127.0.0.1', 'localhost:4000'))).toBe(true);
    expect(mayHandOutDevToken(settings, asked('::ffff:127.0.0.1', '127.0.0.1:4000'))).toBe(true);
    expect(mayHandOutDevToken(settings, asked('::1', '[::1]:4000'))).toBe(true);
    expect(mayHandOutDevToken(settings, asked('10.1.2.3', 'localhost:4000'))).toBe(false);
    expect(mayHandOutDevToken(settings, asked('127.0.0.1', 'evil.example:4000'))).toBe(false);
  });

  it('follows BROWSER_DEV_TOKENS=always and never, and never hands one out in production', () => {
    expect(mayHandOutDevToken(loadSettings({ BROWSER_DEV_TOKENS: 'always' }), asked('10.1.2.3', 'gateway.internal'))).toBe(true);
    expect(mayHandOutDevToken(loadSettings({ BROWSER_DEV_TOKENS: 'never' }), asked('127.0.0.1', 'localhost'))).toBe(false);
    expect(mayHandOutDevToken(loadSettings({ ...production, BROWSER_DEV_TOKENS: 'always' }), asked('127.0.0.1', 'localhost'))).toBe(false);
  });

  it('refuses a bad BROWSER_DEV_TOKENS value, naming it', () => {
    expect(() => loadSettings({ BROWSER_DEV_TOKENS: 'sometimes' })).toThrow(/BROWSER_DEV_TOKENS="sometimes"/);
  });

  it('tells loopback addresses and host names apart from others', () => {
    expect(['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '128.0.0.1', '', undefined].some(isLoopbackAddress)).toBe(false);
    expect(['localhost', 'localhost:4000', 'app.localhost', '127.0.0.1:80', '[::1]:4000'].every(isLoopbackHost)).toBe(true);
    expect(['localhost.example.org', '127.0.0.1.example.org', 'example.org', '', undefined].some(isLoopbackHost)).toBe(false);
  });

  it('serves the explorer outside production only, and the dashboard always', () => {
    expect(staticPageRoutes(loadSettings({})).map((route) => route.path)).toEqual(['/dashboard', '/assets', '/explorer']);
    expect(staticPageRoutes(loadSettings(production)).map((route) => route.path)).toEqual(['/dashboard', '/assets']);
  });

  it('reads the dashboard OIDC login from its settings, against the token issuer by default', () => {
    expect(loadSettings({}).web.oidc).toBeUndefined();
    expect(loadSettings({ AUTH_ISSUER: 'https://login.example.org', DASHBOARD_OIDC_CLIENT_ID: 'dashboard' }).web.oidc).toEqual({
      authority: 'https://login.example.org',
      clientId: 'dashboard',
      scope: 'openid profile',
    });
  });
});
