/**
 * Debian's Chromium driven by playwright-core (no browser download): headless, kept off the
 * network, a fresh profile each launch. Screenshots go to test-screenshots/ (git-ignored).
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { removeDir } from './temp-dir.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../test-screenshots/', import.meta.url));
const OFFLINE_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface TestBrowser {
  readonly context: BrowserContext;
  /** Addresses off this machine that pages tried to reach (each was refused). */
  readonly offMachineRequests: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'fil-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: OFFLINE_FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  const offMachineRequests: string[] = [];
  // Nothing but this machine: what a browser without internet gets, however the host is set up.
  await context.route(
    (url) => !isThisMachine(url),
    (route) => {
      offMachineRequests.push(route.request().url());
      return route.abort('internetdisconnected');
    },
  );
  return {
    context,
    offMachineRequests,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      await removeDir(profile);
    },
  };
}

function isThisMachine(url: URL): boolean {
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'about:') return true;
  return url.hostname === 'localhost' || url.hostname === '[::1]' || url.hostname.startsWith('127.');
}

/** Saves a full-page screenshot as test-screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
