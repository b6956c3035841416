import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { makeApiHandler } from '../../functions/api/app';
import type { ArticleReader } from '../../functions/store/article-reader';
import { memorySource, PAGE_POLICY, REFERENCE_POLICY, servePage } from '../../functions/web/serve';
import { httpEvent, TEST_CURSOR_KEYS } from '../api/fixtures';

/** The page's files as the API serves them, and the app's rule that API routes never touch the page. */
const FILES = new Map<string, Uint8Array>([
  ['index.html', Buffer.from('<!doctype html><title>page</title>')],
  ['reference.html', Buffer.from('<!doctype html><title>reference</title>')],
  ['app.js', Buffer.from(`console.log(${JSON.stringify('x'.repeat(4000))});`)],
]);
const source = memorySource(async () => FILES);

describe('serving the page', () => {
  it('answers / with the HTML under a policy that allows only its own scripts', async () => {
    const page = await servePage(source, '/', undefined);
    expect(page?.statusCode).toBe(200);
    expect(page?.body).toBe('<!doctype html><title>page</title>');
    expect(page?.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = page?.headers['content-security-policy'] ?? '';
    expect(csp).toBe(PAGE_POLICY);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(page?.headers['x-content-type-options']).toBe('nosniff');
  });

  it('allows data: images to the API reference alone, still no inline or foreign script', async () => {
    const page = await servePage(source, '/ui/reference.html', undefined);
    expect(page?.headers['content-security-policy']).toBe(REFERENCE_POLICY);
    expect(REFERENCE_POLICY).toContain("img-src 'self' data:");
    expect(REFERENCE_POLICY).toContain("script-src 'self';");
  });

  it('serves only its own files: unknown names and paths that climb out are not found', async () => {
    for (const path of ['/ui/missing.js', '/ui/../package.json', '/ui/', '/ui/toString', '/ui/index.html/x'])
      expect(await servePage(source, path, undefined), path).toBeNull();
  });

  it('gzips large files for clients that accept it', async () => {
    const page = await servePage(source, '/ui/app.js', 'br, gzip');
    expect(page?.headers['content-encoding']).toBe('gzip');
    expect(page?.isBase64Encoded).toBe(true);
    expect(gunzipSync(Buffer.from(page?.body ?? '', 'base64')).toString()).toBe(
      Buffer.from(FILES.get('app.js') ?? []).toString(),
    );
    expect((await servePage(source, '/ui/app.js', undefined))?.headers['content-encoding']).toBeUndefined();
  });
});

describe('the page in the API app', () => {
  const reader = {} as ArticleReader;
  const make = (page?: Parameters<typeof makeApiHandler>[0]['page']) =>
    makeApiHandler({
      reader,
      cursorKeys: TEST_CURSOR_KEYS,
      corsAllowOrigins: [],
      ...(page ? { page } : {}),
    });

  it('asks the page server only for page paths', async () => {
    const page = vi.fn(async () => null);
    const app = make(page);
    for (const path of ['/health', '/openapi.json', '/articles?limit=x', '/nothing-here', '/uidata'])
      await app(httpEvent(path));
    expect(page).not.toHaveBeenCalled();
    const res = await app(httpEvent('/ui/app.js'));
    expect(page).toHaveBeenCalledWith('/ui/app.js', undefined);
    expect(res.statusCode).toBe(404);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
  });

  it('serves GET and HEAD, and leaves other methods to the usual answers', async () => {
    const app = make(async () => ({
      statusCode: 200,
      headers: { 'content-type': 'text/html' },
      body: '<p>hi</p>',
    }));
    expect((await app(httpEvent('/'))).body).toBe('<p>hi</p>');
    const head = await app(httpEvent('/', { method: 'HEAD' }));
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect((await app(httpEvent('/', { method: 'POST' }))).statusCode).toBe(404);
  });

  it('is a 404 like any unknown path when the app has no page', async () => {
    expect((await make()(httpEvent('/'))).statusCode).toBe(404);
  });
});
