import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { PAGE_ASSET_PREFIX, type PageResponse } from './page-paths';

/**
 * Serves the page's files. Loaded lazily (see ./page-paths.ts). Only the names in PAGE_FILES are ever read, so
 * a path cannot reach any other file.
 */
export const PAGE_FILES = {
  'index.html': 'text/html; charset=utf-8',
  'reference.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'reference.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
} as const;
export type PageFile = keyof typeof PAGE_FILES;

const isPageFile = (name: string): name is PageFile => Object.hasOwn(PAGE_FILES, name);

/**
 * Only the page's own files may run or style it: no inline script, no eval, no other origin. The API reference
 * renderer (Swagger UI) draws its icons as data: SVGs, so its document alone allows data: images (checked in
 * Chromium: it needs nothing else).
 */
const policy = (style: string, img: string): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${style}`,
    `img-src ${img}`,
    "connect-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

export const PAGE_POLICY = policy("'self'", "'self'");
export const REFERENCE_POLICY = policy("'self'", "'self' data:");

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export type FileSource = (name: PageFile) => Promise<Uint8Array | null>;

/** The files next to the Lambda bundle; each is read once per container, when first asked for. */
export const directorySource = (dir: URL): FileSource => {
  const read = new Map<PageFile, Promise<Uint8Array | null>>();
  return (name) => {
    let file = read.get(name);
    if (!file) {
      file = readFile(new URL(name, dir)).catch(() => null);
      read.set(name, file);
    }
    return file;
  };
};

/** Files built in memory (the local stack builds them on the first page request). */
export const memorySource =
  (files: () => Promise<ReadonlyMap<string, Uint8Array>>): FileSource =>
  async (name) =>
    (await files()).get(name) ?? null;

// Swagger UI's bundle is 1.7 MB; gzipped it is a quarter of that. Kept per container, made on first use.
const gzipped = new WeakMap<Uint8Array, string>();

export const servePage = async (
  source: FileSource,
  path: string,
  acceptEncoding: string | undefined,
): Promise<PageResponse | null> => {
  const name = path === '/' ? 'index.html' : path.slice(PAGE_ASSET_PREFIX.length);
  if (!isPageFile(name)) return null;
  const bytes = await source(name);
  if (!bytes) return null;
  const headers = {
    ...SECURITY_HEADERS,
    'content-security-policy': name === 'reference.html' ? REFERENCE_POLICY : PAGE_POLICY,
    'content-type': PAGE_FILES[name],
    // The HTML names its assets without a version, so both are revalidated rather than kept.
    'cache-control': name.endsWith('.html') ? 'no-cache' : 'max-age=300',
    vary: 'accept-encoding',
  };
  if (bytes.byteLength > 1024 && /\bgzip\b/.test(acceptEncoding ?? '')) {
    let body = gzipped.get(bytes);
    if (body === undefined) {
      body = gzipSync(bytes).toString('base64');
      gzipped.set(bytes, body);
    }
    return {
      statusCode: 200,
      headers: { ...headers, 'content-encoding': 'gzip' },
      body,
      isBase64Encoded: true,
    };
  }
  return { statusCode: 200, headers, body: Buffer.from(bytes).toString('utf8') };
};
