/**
 * The strong validator for an article response: changes whenever the record would. Kept free of zod so the API
 * bundle can import it without the article-item codec.
 */
export const articleEtag = (item: { contentHash: string; parserVersion: string }): string =>
  `"${item.contentHash.slice(0, 32)}-${item.parserVersion}"`;
