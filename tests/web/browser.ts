import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (which downloads nothing). `.ci/run` installs the package when it
 * is missing. Every switch that would make the browser reach beyond the machine is off.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

export interface BrowserSession {
  context: BrowserContext;
  close(): Promise<void>;
}

export const launchChromium = async (): Promise<BrowserSession> => {
  const profile = mkdtempSync(join(tmpdir(), 'page-chromium-'));
  // A fresh profile per run: nothing cached or remembered from an earlier run can make a test pass.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};

/** A screenshot a person can look at (tests/web/screenshots is git-ignored). */
export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
};

/** Collects what would show a broken page: console errors (CSP refusals among them) and uncaught exceptions. */
export const watchErrors = (page: Page): string[] => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
};
