import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleIdForKey } from '../../functions/core/article';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { DATED_ARTICLES, HOSTILE_ARTICLE, HOSTILE_IMG, HOSTILE_KEY, HOSTILE_SCRIPT } from './articles';
import { type BrowserSession, launchChromium, screenshot, watchErrors } from './browser';

/**
 * The page in a real browser (Debian's Chromium via playwright-core) against the local stack with the seed and
 * a few written articles ingested. Screenshots at 375 and 1280 px go to tests/web/screenshots.
 */
const SEEDS = resolve(import.meta.dirname, '../../seeds');
const SEED_KEY = readdirSync(SEEDS).filter((f) => !f.startsWith('.'))[0] ?? '';
const SEED_ID = articleIdForKey(SEED_KEY);
const WIDTHS = [375, 1280] as const;

let dataDir: string;
let stack: LocalStack;
let session: BrowserSession;
let page: Page;
let errors: string[];

// A loaded machine can take seconds to answer; polls wait up to 10 s instead of vitest's 1 s.
const POLL = { timeout: 10_000 };
/** Resolves once the page shows the route in the address bar (the app marks what it rendered). */
const settled = () =>
  expect
    .poll(
      async () =>
        (await page.evaluate<string>('location.hash || "#/articles"')) ===
        (await page.locator('#main').getAttribute('data-rendered')),
      POLL,
    )
    .toBe(true);
const open = async (route: string) => {
  await page.goto(`${stack.apiUrl}${route}`);
  await settled();
};
const shoot = async (name: string, route: string) => {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await open(route);
    await screenshot(page, `${name}-${width}`);
    // Usable at a phone's width means no sideways scrolling.
    expect(
      await page.evaluate<number>('document.documentElement.scrollWidth'),
      `${name} at ${width}`,
    ).toBeLessThanOrEqual(width);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'web-e2e-'));
  stack = await startLocalStack({ dataDir, seedsDir: SEEDS });
  const s3 = makeLocalS3Client(stack.s3Endpoint);
  await stack.waitForIdle();
  for (const [key, body] of [...Object.entries(DATED_ARTICLES), [HOSTILE_KEY, HOSTILE_ARTICLE] as const])
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
  s3.destroy();
  await stack.waitForIdle();
  session = await launchChromium();
  page = await session.context.newPage();
  errors = watchErrors(page);
}, 180_000);

afterAll(async () => {
  await session?.close();
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the page in Chromium', { timeout: 60_000 }, () => {
  it('lists the articles newest first and opens the seed article from the list', async () => {
    await open('/');
    const headlines = page.locator('ol.articles li');
    await expect.poll(() => headlines.count(), POLL).toBe(5);
    expect(await page.locator('ol.articles time').allTextContents()).toEqual([
      '2025-04-01',
      '2025-03-20',
      '2025-02-14',
      '2025-01-10',
      '2024-11-13',
    ]);
    await page.locator(`a[href="#/article/${SEED_ID}"]`).click();
    await expect.poll(() => page.locator('h1').textContent(), POLL).toContain('Sergei Shoigu');
    await shoot('list', '/');
  });

  it('highlights Sergei Shoigu as a person and marks Wang Yi as a quote’s speaker', async () => {
    await open(`/#/article/${SEED_ID}`);
    const shoigu = page.locator('.body mark.ent.person', { hasText: 'Sergei Shoigu' }).first();
    expect(await shoigu.getAttribute('data-entity')).toBe('Sergei Shoigu');
    expect(await shoigu.isVisible()).toBe(true);
    expect(await page.locator('.body mark.ent.place', { hasText: 'Beijing' }).count()).toBeGreaterThan(0);
    expect(await page.locator('.body mark.ent.organization', { hasText: 'NATO' }).count()).toBe(1);
    const quote = page.locator('.body .quote', { hasText: 'withstood the test' });
    expect(await quote.locator('.speaker .name').textContent()).toBe('Wang Yi');
    expect(await quote.locator('.speaker').isVisible()).toBe(true);
    // A resolved date shows its value beside the phrase.
    expect(
      await page.locator('.body .date', { hasText: 'on Tuesday' }).locator('.date-value').textContent(),
    ).toBe(' (resolved to 2024-11-12)');
    expect(await page.locator('.warnings li').allTextContents()).toContain(
      'no headline line; headline derived from the lede',
    );
    expect(await page.locator('.json a').first().getAttribute('href')).toBe(
      `${stack.apiUrl}/articles/${SEED_ID}`,
    );
    expect(await page.locator('.legend').textContent()).toMatch(/Person[\s\S]*Place[\s\S]*Organisation/);
    await shoot('article', `/#/article/${SEED_ID}`);
  });

  it('searches from the box with the keyboard', async () => {
    await open('/');
    await page.locator('#q').fill('Shoigu');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url(), POLL).toContain('#/search?q=Shoigu');
    await settled();
    expect(await page.locator(`ol.articles a[href="#/article/${SEED_ID}"]`).count()).toBe(1);
    expect(await page.locator('ol.articles li').count()).toBe(1);
    await shoot('search', '/#/search?q=Shoigu');
  });

  it('pages through the dates with the API’s cursors', async () => {
    await open('/#/articles?limit=2');
    const seen: string[] = [];
    for (let pageNo = 0; pageNo < 5; pageNo++) {
      seen.push(...(await page.locator('ol.articles time').allTextContents()));
      const next = page.locator('.pager a', { hasText: 'Next page' });
      if ((await next.count()) === 0) break;
      await next.click();
      await settled();
      expect(page.url()).toMatch(/[#&?]cursor=/);
    }
    expect(seen).toEqual(['2025-04-01', '2025-03-20', '2025-02-14', '2025-01-10', '2024-11-13']);
    expect(await page.locator('.pager a', { hasText: 'First page' }).count()).toBe(1);
  });

  it('opens an entity from an article, and the catalogue by type and prefix with counts', async () => {
    await open(`/#/article/${SEED_ID}`);
    await page.locator('.findings a', { hasText: 'Wang Yi' }).click();
    await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('Person: Wang Yi');
    expect(await page.locator(`ol.articles a[href="#/article/${SEED_ID}"]`).count()).toBe(1);
    await shoot('entity', '/#/entity/person/Wang%20Yi');

    await open('/#/entities?type=place');
    expect(await page.locator('ul.catalogue li', { hasText: 'Beijing' }).textContent()).toContain(
      '1 article',
    );
    await page.locator('.tabs a', { hasText: 'Persons' }).click();
    await expect.poll(() => page.url(), POLL).toContain('type=person');
    // The persons view must have replaced the places view before typing, or the prefix goes to the old form.
    await settled();
    await page.locator('#prefix').fill('Pri');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('ul.catalogue li').allTextContents(), POLL)
      .toEqual(['Priya Nandakumar 1 article']);
    await shoot('entities', '/#/entities?type=person');
  });

  it('shows a hostile article’s markup as text and runs none of it', async () => {
    await open(`/#/article/${articleIdForKey(HOSTILE_KEY)}`);
    const body = await page.locator('.body').textContent();
    expect(body).toContain(HOSTILE_SCRIPT);
    expect(body).toContain(HOSTILE_IMG);
    expect(await page.locator('h1').textContent()).toContain('<script>');
    expect(await page.locator('main script, main img').count()).toBe(0);
    await open('/');
    expect(await page.locator('ol.articles').textContent()).toContain('<script>');
    expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();
    await shoot('hostile', `/#/article/${articleIdForKey(HOSTILE_KEY)}`);
    expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();
  });

  it('works from the keyboard alone: skip link, then Tab to an article and Enter', async () => {
    await open('/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to content');
    let href = '';
    for (let presses = 0; presses < 20 && !href.startsWith('#/article/'); presses++) {
      await page.keyboard.press('Tab');
      href = await page.evaluate<string>('document.activeElement.getAttribute("href") ?? ""');
    }
    expect(href).toMatch(/^#\/article\//);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url(), POLL).toContain(href);
    // Focus moves to the new page's heading, so the next Tab continues from there.
    await expect.poll(() => page.evaluate<string>('document.activeElement.tagName'), POLL).toBe('H1');
  });

  it('shows an API error as a readable message', async () => {
    await open('/#/article/0000000000000000');
    expect(await page.locator('[role="alert"]').textContent()).toBe(
      "Not Found (HTTP 404): No article has id '0000000000000000'.",
    );
    await shoot('error', '/#/article/0000000000000000');
    // The browser logs the failed fetch itself; nothing else may have gone wrong.
    errors.splice(0, errors.length, ...errors.filter((e) => !/status of 404/.test(e)));
  });

  it('renders the API reference from /openapi.json with the bundled renderer', async () => {
    await page.goto(`${stack.apiUrl}/ui/reference.html`);
    const operations = page.locator('.opblock-get .opblock-summary-path');
    await expect.poll(() => operations.count(), { timeout: 15_000 }).toBe(8);
    expect(await operations.allInnerTexts()).toEqual(expect.arrayContaining(['/articles/{id}', '/search']));
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await screenshot(page, `reference-${width}`);
    }
  });

  it('loaded nothing the Content-Security-Policy refused and threw nothing', () => {
    expect(errors).toEqual([]);
  });
});
