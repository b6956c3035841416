import { createHash } from 'node:crypto';

/**
 * Copies of two one-line contracts, kept here so the API bundle does not import ../core/article.ts or
 * ./article-item.ts: both build classic zod schemas at module load, which adds ~450 KB to the API bundle.
 * tests/api/read-ids.test.ts pins them to the originals (articleIdForKey, articleEtag), so they cannot drift.
 */
export const uploadArticleId = (key: string): string =>
  createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 16);

export const etagOf = (item: { contentHash: string; parserVersion: string }): string =>
  `"${item.contentHash.slice(0, 32)}-${item.parserVersion}"`;
