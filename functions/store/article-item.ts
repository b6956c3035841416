import { gunzipSync, gzipSync } from 'node:zlib';
import * as z from 'zod';
import { type Article, ArticleSchema } from '../core/article';
import { keys } from './keys';

/**
 * How an article is held in its DynamoDB item. The whole record is stored gzip-compressed in `body`
 * (news text compresses about 3x), which keeps write units low. A handful of plain attributes (id, date,
 * headline...) stay readable for list pages and the console. A compressed record that does not fit the item
 * (over MAX_BODY_BYTES, or over the 400 KB item limit) is stored whole in the body bucket instead,
 * the item holding its object key in `bodyKey` (./article-body.ts); a writer without a body store rejects it as
 * `too-large`, never truncating it.
 */
export const MAX_BODY_BYTES = 380 * 1024;

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly bytes: number) {
    super(`compressed article is ${bytes} bytes; the limit is ${MAX_BODY_BYTES}`);
  }
}

export class CorruptItemError extends Error {
  override readonly name = 'CorruptItemError';
}

/** The summary every list item and index entry carries. */
export const ArticleSummarySchema = z.object({
  id: z.string(),
  headline: z.string(),
  publishedDate: z.string().nullable(),
});
export type ArticleSummary = z.infer<typeof ArticleSummarySchema>;

export const summaryOf = (article: Article): ArticleSummary => ({
  id: article.id,
  headline: article.headline,
  publishedDate: article.publishedDate,
});

export interface ArticleItem {
  pk: string;
  sk: string;
  id: string;
  headline: string;
  publishedDate: string | null;
  contentHash: string;
  parserVersion: string;
  sourceKey: string;
  /** The object's eTag when read, so a reprocess can tell from the listing that nothing changed. */
  sourceETag?: string;
  /** The gzip-compressed record, unless it is stored in the body bucket under `bodyKey`. */
  body?: Uint8Array;
  bodyKey?: string;
  /** The revision that wrote the item (see ./upload-outcome.ts). */
  rev?: string;
}

/**
 * zlib level 1, not the default 6: over the BBC corpus the body is 3.8% bigger (1,785 vs 1,720 bytes on average)
 * and gzip takes about a quarter less time; gzip was the ingest handler's largest cost besides the core. A body
 * over the limit at level 1 is compressed again at level 9 before it is refused, so the fast level never turns an
 * article away that the default level would have stored. The format is plain gzip at any level.
 */
export const BODY_GZIP_LEVEL = 1;

/** The record, gzip-compressed; over MAX_BODY_BYTES it no longer fits an item (see prepareArticle). */
export const encodeBody = (article: Article): Uint8Array => {
  // From a Buffer, not the string: zlib's own conversion of a string measured ~25% slower (0.068 vs 0.050 ms a
  // record over the BBC corpus), for the same bytes out.
  const json = Buffer.from(JSON.stringify(article), 'utf8');
  let body = gzipSync(json, { level: BODY_GZIP_LEVEL });
  if (body.byteLength > MAX_BODY_BYTES) body = gzipSync(json, { level: 9 });
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
};

export const decodeBody = (body: Uint8Array): Article => {
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(body).toString('utf8'));
  } catch (cause) {
    throw new CorruptItemError('article body is not gzip-compressed JSON', { cause });
  }
  const parsed = ArticleSchema.safeParse(json);
  if (!parsed.success) throw new CorruptItemError('article body does not match the article schema');
  return parsed.data;
};

export const toArticleItem = (article: Article): ArticleItem & { body: Uint8Array } => ({
  ...keys.article(article.id),
  ...summaryOf(article),
  contentHash: article.contentHash,
  parserVersion: article.parserVersion,
  sourceKey: article.source.key,
  ...(article.source.eTag ? { sourceETag: article.source.eTag } : {}),
  body: encodeBody(article),
});

export { articleEtag } from './article-etag';

export const indexKeyOf = (key: { pk: string; sk: string }): string => `${key.pk}\u0000${key.sk}`;
export const parseIndexKey = (indexKey: string): { pk: string; sk: string } => {
  const at = indexKey.indexOf('\u0000');
  return { pk: indexKey.slice(0, at), sk: indexKey.slice(at + 1) };
};
