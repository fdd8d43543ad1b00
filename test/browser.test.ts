/**
 * The dashboard and the offline explorer as a person sees them: Debian's Chromium against
 * the running stack. The pages are built once, before the stack starts.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, type TestBrowser } from './support/browser.ts';
import { FAST_RESILIENCE, setFaults, startTestStack, type TestStack } from './support/stack.ts';
import { waitForSubscribers } from './support/subscribers.ts';
import { startFakeOidcProvider, type FakeOidcProvider } from './support/fake-oidc-provider.ts';
import { buildWebPages } from './support/web-build.ts';

const PROBE_MS = Number(FAST_RESILIENCE.PLANT_API_HEALTH_PROBE_MS);
const WAIT = { timeout: 20_000 };
const MASKED_EMAIL = /^[a-z]\*\*\*@example\.com$/;
const MASKED_PHONE = /^\*\*\*-\*\*\*-\d{4}$/;
const PLAIN_EMAIL = /^[a-z]+\.[a-z]+@example\.com$/;
const OPERATIONS = new URL('../schema/operations/', import.meta.url);
/** sha256 of each operation file's exact text: the hashes the dashboard must send. */
const OPERATION_HASHES = new Set(
  readdirSync(OPERATIONS)
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => createHash('sha256').update(readFileSync(new URL(file, OPERATIONS), 'utf8')).digest('hex')),
);

/** Marks the page's document, to tell later that it was never reloaded. */
const markDocument = (page: Page) => page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
const isSameDocument = (page: Page) => page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument === true);

/** The sandboxes' own credentials, named as production insists they be. */
const PRODUCTION_SECRETS = {
  PLANT_API_URL: 'http://127.0.0.1:1',
  CORE_BANKING_URL: 'https://127.0.0.1:1',
  STRIPE_URL: 'http://127.0.0.1:1',
  SENDGRID_URL: 'http://127.0.0.1:1',
  AUTH_ISSUER: 'http://127.0.0.1:1',
  INTERNAL_TOKEN_SECRET: 'internal-secret-of-the-production-test-000',
  METRICS_TOKEN: 'metrics-token-of-the-production-test',
  PLANT_API_CLIENT_SECRET: 'plants-dev-secret',
  PLANT_WEBHOOK_SECRET: 'plant-webhook-dev-secret',
  CORE_BANKING_CLIENT_SECRET: 'banking-dev-secret',
  CORE_BANKING_API_KEY: 'calendar-dev-key',
  STRIPE_SECRET_KEY: 'sk_test_sandbox_51PlantOpsLocalDevKey0000000000',
  STRIPE_WEBHOOK_SECRETS: 'whsec_plantops_local_dev_secret',
  SENDGRID_API_KEY: 'SG.sandbox-plantops.local-dev-key-not-a-secret',
  GOOGLE_ANALYTICS_URL: 'http://127.0.0.1:1',
  GOOGLE_ANALYTICS_TOKEN_URL: 'http://127.0.0.1:1/token',
  GOOGLE_ANALYTICS_PROPERTY_ID: '250000001',
  GOOGLE_ANALYTICS_CLIENT_ID: 'analytics-subgraph',
  GOOGLE_ANALYTICS_CLIENT_SECRET: 'analytics-dev-secret',
  GOOGLE_ANALYTICS_REFRESH_TOKEN: 'analytics-dev-refresh-token',
};

interface SentOperation {
  query?: string;
  extensions?: { persistedQuery?: { version: number; sha256Hash: string } };
}

let browser: TestBrowser;

// Built once for every test here, and before any stack starts serving the pages.
beforeAll(async () => {
  await buildWebPages();
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

async function contacts(page: Page): Promise<{ emails: string[]; phones: string[] }> {
  const rows = page.locator('[data-widget="plants"] tbody tr[data-plant]');
  return {
    emails: await rows.locator('td.contact:nth-child(6)').allTextContents(),
    phones: await rows.locator('td.contact:nth-child(7)').allTextContents(),
  };
}

describe('the browser pages outside production', () => {
  let stack: TestStack;
  let origin: string;

  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        ...FAST_RESILIENCE,
        // Payments always ask Stripe, so an outage shows at once rather than behind the cache
        // (a stale lifetime of 0 would keep entries without expiry: Keyv reads 0 as "forever").
        STRIPE_CACHE_TTL_MS: '0',
        STRIPE_STALE_TTL_MS: '1',
        STRIPE_RETRY_INITIAL_DELAY_MS: '5',
        STRIPE_RETRY_MAX_DELAY_MS: '20',
      },
    });
    origin = new URL(stack.gateway!.url).origin;
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  async function openDashboard(role: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${origin}/dashboard?role=${role}`);
    return page;
  }

  it('shows the first 50 plants with contacts masked for a VIEWER, and plain after switching to ADMIN', async () => {
    const page = await browser.newPage();
    const sent: SentOperation[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') sent.push(request.postDataJSON() as SentOperation);
    });
    await page.goto(`${origin}/dashboard?role=VIEWER`);
    try {
      await page.locator('[data-widget="plants"][data-state="ready"]').waitFor(WAIT);
      await expect(page.locator('[data-widget="plants"] tbody tr[data-plant]').count()).resolves.toBe(50);
      const viewer = await contacts(page);
      expect(viewer.emails).toHaveLength(50);
      for (const email of viewer.emails) expect(email).toMatch(MASKED_EMAIL);
      for (const phone of viewer.phones) expect(phone).toMatch(MASKED_PHONE);
      await screenshot(page, 'dashboard-viewer');

      await page.locator('select[name="role"]').selectOption('ADMIN');
      await page.locator('.who[data-subject="browser-admin"]').waitFor(WAIT);
      await page.locator('[data-widget="plants"][data-state="ready"]').waitFor(WAIT);
      const admin = await contacts(page);
      expect(admin.emails).toHaveLength(50);
      for (const email of admin.emails) expect(email).toMatch(PLAIN_EMAIL);
      // Only roles that may see them get the bank check and the audit feed.
      await page.locator('[data-widget="audit"]').waitFor(WAIT);
      await page.locator('[data-widget="bank-check"]').waitFor(WAIT);
      await page.locator('[data-widget="audit"][data-state="ready"], [data-widget="audit"][data-state="empty"]').waitFor(WAIT);

      // A plant's detail, with its readings as a chart.
      await page.locator('tr[data-plant="plant-007"] button').click();
      const detail = page.locator('[data-widget="plant-detail"][data-state="ready"]');
      await detail.waitFor(WAIT);
      await detail.locator('.line-chart canvas').waitFor(WAIT);
      await expect(detail.textContent()).resolves.toMatch(/@example\.com/);
      // The bank account check, for a role with banking:validate.
      await page.locator('[data-widget="bank-check"] button[type="submit"]').click();
      await expect(page.locator('[data-widget="bank-check"] .check-result').textContent()).resolves.toMatch(/^Valid/);
      await screenshot(page, 'dashboard-admin');

      // Every operation went as an APQ: first by the sha256 of its file's exact text alone, the
      // text (that very text) only after the gateway asked for it.
      expect(sent.length).toBeGreaterThan(0);
      const seen = new Set<string>();
      for (const body of sent) {
        const hash = body.extensions?.persistedQuery?.sha256Hash ?? '';
        expect(OPERATION_HASHES.has(hash)).toBe(true);
        if (!seen.has(hash)) expect(body.query).toBeUndefined();
        if (body.query !== undefined) expect(createHash('sha256').update(body.query).digest('hex')).toBe(hash);
        seen.add(hash);
      }
    } finally {
      await page.close();
    }
  });

  it('shows the downtime banner without a reload while the Plant API is down, and drops it on recovery', async () => {
    const page = await openDashboard('VIEWER');
    try {
      await page.locator('[data-widget="plants"][data-state="ready"]').waitFor(WAIT);
      await page.locator('[data-feed="live"]').waitFor(WAIT);
      await markDocument(page);
      const banner = page.locator('[data-banner="plant-api-down"]');
      await expect(banner.count()).resolves.toBe(0);

      const downAt = Date.now();
      await setFaults(stack.plantApi.url, { down: true });
      await banner.waitFor(WAIT);
      // The issue's bound: the probe's interval plus one second.
      expect(Date.now() - downAt).toBeLessThan(PROBE_MS + 1000);
      await expect(banner.textContent()).resolves.toMatch(/Plant data may be out of date since/);
      // The plants come from cache meanwhile, and say so.
      const stale = page.locator('[data-widget="plants"][data-state="stale"]');
      await stale.waitFor(WAIT);
      await expect(stale.locator('.widget-stale').textContent()).resolves.toMatch(/^Data may be out of date since /);
      await expect(stale.locator('tbody tr[data-plant]').count()).resolves.toBe(50);
      await expect(isSameDocument(page)).resolves.toBe(true);
      await screenshot(page, 'dashboard-plant-api-down');

      await setFaults(stack.plantApi.url, { down: false });
      await banner.waitFor({ state: 'detached', ...WAIT });
      await page.locator('[data-widget="plants"][data-state="ready"]').waitFor(WAIT);
      await expect(isSameDocument(page)).resolves.toBe(true);

      // A plant going offline: an alert of its own, and its row updated.
      await fetch(`${stack.plantApi.url}/__admin/plants/plant-003`, { method: 'POST', body: JSON.stringify({ status: 'OFFLINE' }) });
      await page.locator('[data-alert="PLANT_OFFLINE"]').getByText('plant-003').waitFor(WAIT);
      await page.locator('tr[data-plant="plant-003"] .status-offline').waitFor(WAIT);
      await expect(isSameDocument(page)).resolves.toBe(true);
    } finally {
      await fetch(`${stack.plantApi.url}/__admin/plants/plant-003`, { method: 'POST', body: JSON.stringify({ status: 'ONLINE' }) });
      await setFaults(stack.plantApi.url, { down: false });
      await page.close();
    }
  });

  it('shows the payments widget in its error state while Stripe is down, and the other widgets with data', async () => {
    await setFaults(stack.stripe.url, { down: true });
    const page = await openDashboard('VIEWER');
    try {
      const payments = page.locator('[data-widget="payments"][data-state="error"]');
      await payments.waitFor(WAIT);
      await expect(payments.locator('[role="alert"]').textContent()).resolves.toMatch(/UPSTREAM_UNAVAILABLE/);
      await page.locator('[data-widget="plants"][data-state="ready"]').waitFor(WAIT);
      await page.locator('[data-widget="email"][data-state="ready"]').waitFor(WAIT);
      await expect(page.locator('[data-widget="email"] .line-chart canvas').count()).resolves.toBeGreaterThan(0);
      await screenshot(page, 'dashboard-stripe-down');
    } finally {
      await setFaults(stack.stripe.url, { down: false });
      await page.close();
    }
  });

  it('falls back from Apollo Sandbox to the local explorer offline, and runs a query there', async () => {
    const page = await browser.newPage();
    try {
      const before = browser.offMachineRequests.length;
      await page.goto(stack.gateway!.url);
      await page.waitForURL(`${origin}/explorer`, WAIT);
      // Only the landing page's try at Apollo's CDN left loopback; the explorer needs nothing from outside.
      const tried = browser.offMachineRequests.slice(before);
      expect(tried.every((url) => new URL(url).hostname.endsWith('apollographql.com'))).toBe(true);

      await page.getByText('Signed in with a dev ANALYST token').waitFor(WAIT);
      const run = page.locator('.graphiql-execute-button');
      await run.waitFor(WAIT);
      await page.locator('.graphiql-query-editor').getByText('plantApiStatus').first().waitFor(WAIT);
      await run.click();
      const result = page.locator('.graphiql-response');
      await result.getByText('"totalCount"').waitFor(WAIT);
      await expect(result.textContent()).resolves.toMatch(/"up":\s*true/);
      expect(browser.offMachineRequests.slice(before).length).toBe(tried.length);
      await screenshot(page, 'explorer-offline');
    } finally {
      await page.close();
    }
  });

  it('runs the plantDowntime subscription in the explorer over graphql-ws', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/explorer`);
      await page.getByText('Signed in with a dev ANALYST token').waitFor(WAIT);
      const editor = page.locator('.graphiql-query-editor');
      await editor.getByText('plantApiStatus').first().waitFor(WAIT);
      await editor.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText('subscription Alerts { plantDowntime { kind message } }');
      // GraphiQL has parsed the new document once the tab takes the operation's name.
      await page.locator('.graphiql-tab-active').getByText('Alerts').waitFor(WAIT);
      const subscribers = stack.gateway!.subscriberCount();
      await page.locator('.graphiql-execute-button').click();
      await waitForSubscribers(stack.gateway!, subscribers + 1);

      const result = page.locator('.graphiql-response');
      await setFaults(stack.plantApi.url, { down: true });
      await result.getByText('API_DOWN').waitFor(WAIT);
      await screenshot(page, 'explorer-subscription');
      await setFaults(stack.plantApi.url, { down: false });
      await result.getByText('API_RESTORED').waitFor(WAIT);
    } finally {
      await setFaults(stack.plantApi.url, { down: false });
      await page.close();
    }
  });
});

describe('the dashboard in production', () => {
  let stack: TestStack;
  let provider: FakeOidcProvider;
  let origin: string;

  beforeAll(async () => {
    let mint: () => Promise<string> = () => Promise.reject(new Error('not started'));
    provider = await startFakeOidcProvider({ accessToken: () => mint() });
    stack = await startTestStack({
      env: {
        ...PRODUCTION_SECRETS,
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        DASHBOARD_OIDC_AUTHORITY: provider.url,
        DASHBOARD_OIDC_CLIENT_ID: 'dashboard',
      },
    });
    mint = () => stack.token('ADMIN', { subject: 'signed-in-admin' });
    origin = new URL(stack.gateway!.url).origin;
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await provider?.close();
  });

  it('offers no dev token and no explorer, and says where to sign in', async () => {
    await expect((await fetch(`${origin}/web/config`)).json()).resolves.toEqual({
      devTokens: false,
      oidc: { authority: provider.url, clientId: 'dashboard', scope: 'openid profile' },
    });
    const minted = await fetch(`${origin}/web/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'ADMIN' }) });
    expect(minted.status).toBe(403);
    expect((await fetch(`${origin}/explorer`)).status).toBe(404);
  });

  it('signs in with the OIDC provider (authorization code with PKCE) and shows the signed-in role its data', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/dashboard`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.who[data-subject="signed-in-admin"]').waitFor(WAIT);
      await page.locator('[data-widget="plants"][data-state="ready"]').waitFor(WAIT);
      await expect(page.locator('select[name="role"]').count()).resolves.toBe(0);
      for (const email of (await contacts(page)).emails) expect(email).toMatch(PLAIN_EMAIL);
      // The code and state are gone from the address bar.
      expect(page.url()).toBe(`${origin}/dashboard`);

      const [authorization] = provider.authorizations;
      expect(authorization?.get('response_type')).toBe('code');
      expect(authorization?.get('code_challenge_method')).toBe('S256');
      expect(authorization?.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(authorization?.get('redirect_uri')).toBe(`${origin}/dashboard`);
      expect(provider.exchanges).toEqual([{ clientId: 'dashboard', redirectUri: `${origin}/dashboard`, verified: true }]);
      await screenshot(page, 'dashboard-oidc-sign-in');
    } finally {
      await page.close();
    }
  });
});
