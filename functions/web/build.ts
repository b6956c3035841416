import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { PageFile } from './serve';

/**
 * Builds the page's files: the two scripts bundled by esbuild, the HTML and CSS as written, and Swagger UI's
 * prebuilt bundle and stylesheet from its npm package (served from here, never from a CDN). The CDK bundling
 * step writes them beside the API bundle (./build-cli.ts); the local stack keeps them in memory.
 */
const PAGE_SOURCES = join(import.meta.dirname, 'page');
const require = createRequire(import.meta.url);

const script = async (entry: string): Promise<Uint8Array> => {
  const result = await build({
    entryPoints: [join(PAGE_SOURCES, entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.contents;
};

export const buildPageFiles = async (): Promise<Map<PageFile, Uint8Array>> => {
  const [app, reference] = await Promise.all([script('main.ts'), script('reference.ts')]);
  const files = new Map<PageFile, Uint8Array>([
    ['app.js', app],
    ['reference.js', reference],
    ['index.html', readFileSync(join(PAGE_SOURCES, 'index.html'))],
    ['reference.html', readFileSync(join(PAGE_SOURCES, 'reference.html'))],
    ['style.css', readFileSync(join(PAGE_SOURCES, 'style.css'))],
    ['favicon.svg', readFileSync(join(PAGE_SOURCES, 'favicon.svg'))],
    ['swagger-ui-bundle.js', readFileSync(require.resolve('swagger-ui-dist/swagger-ui-bundle.js'))],
    ['swagger-ui.css', readFileSync(require.resolve('swagger-ui-dist/swagger-ui.css'))],
  ]);
  return files;
};

export const writePageFiles = async (dir: string): Promise<void> => {
  const files = await buildPageFiles();
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
};
