/**
 * The page's paths: `/` and everything under `/ui/`. This module is all of the page that the API bundle loads
 * eagerly; the code that serves the page (./serve.ts) is imported only when a page path is asked for, and its
 * files (HTML, scripts, the API reference renderer) are read only then, so API routes never pay for them.
 */
export const PAGE_ASSET_PREFIX = '/ui/';

export const isPagePath = (path: string): boolean => path === '/' || path.startsWith(PAGE_ASSET_PREFIX);

/** A page response, shaped like the API's results (payload v2). */
export interface PageResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

/** Answers a page path, or null when there is no such file (the app then answers its problem+json 404). */
export type PageServer = (path: string, acceptEncoding: string | undefined) => Promise<PageResponse | null>;

/** The Lambda's page server: the files the bundling step wrote into `dir` (next to index.mjs). */
export const pageFromDirectory =
  (dir: URL): PageServer =>
  async (path, acceptEncoding) => {
    const { directorySource, servePage } = await import('./serve');
    return servePage(directorySource(dir), path, acceptEncoding);
  };
