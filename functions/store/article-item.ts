import * as z from 'zod';
import { type Article, ArticleSchema } from '../core/article';
import { BODY_ENCODING, compressBody, decompressBody, THOROUGH_QUALITY } from './body-codec';
import { keys } from './keys';

/**
 * How an article is held in its DynamoDB item. The whole record is stored compressed in `body` (brotli, see
 * ./body-codec.ts; news text compresses about 2.2x at the fast setting), which keeps write units low and lets a 1 MiB article fit the 400 KB item
 * limit. A handful of plain attributes (id, date, headline...) stay readable for list pages and the console.
 * A record whose compressed body would still exceed MAX_BODY_BYTES is rejected as `too-large`, never truncated.
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
  body: Uint8Array;
  /** How `body` is compressed (./body-codec.ts); absent on items written with gzip. */
  bodyEncoding: typeof BODY_ENCODING;
  /** `pk\u0000sk` of every index entry this article owns (see ./keys.ts). */
  indexKeys: string[];
}

export const encodeBody = (article: Article): Uint8Array => {
  const json = JSON.stringify(article);
  let body = compressBody(json);
  if (body.byteLength > MAX_BODY_BYTES) body = compressBody(json, THOROUGH_QUALITY);
  if (body.byteLength > MAX_BODY_BYTES) throw new BodyTooLargeError(body.byteLength);
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
};

/** `encoding`: the item's `bodyEncoding` (undefined on gzip-era items). */
export const decodeBody = (body: Uint8Array, encoding: string | undefined): Article => {
  let json: unknown;
  try {
    json = JSON.parse(decompressBody(body, encoding));
  } catch (cause) {
    throw new CorruptItemError('article body is not compressed JSON', { cause });
  }
  const parsed = ArticleSchema.safeParse(json);
  if (!parsed.success) throw new CorruptItemError('article body does not match the article schema');
  return parsed.data;
};

export const toArticleItem = (article: Article, indexKeys: string[]): ArticleItem => ({
  ...keys.article(article.id),
  ...summaryOf(article),
  contentHash: article.contentHash,
  parserVersion: article.parserVersion,
  sourceKey: article.source.key,
  body: encodeBody(article),
  bodyEncoding: BODY_ENCODING,
  indexKeys,
});

export { articleEtag } from './article-etag';

export const indexKeyOf = (key: { pk: string; sk: string }): string => `${key.pk}\u0000${key.sk}`;
export const parseIndexKey = (indexKey: string): { pk: string; sk: string } => {
  const at = indexKey.indexOf('\u0000');
  return { pk: indexKey.slice(0, at), sk: indexKey.slice(at + 1) };
};
