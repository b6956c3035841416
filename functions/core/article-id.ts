import { createHash } from 'node:crypto';

/**
 * The article id is derived from the object key alone, so re-uploads of a key replace the same article and a
 * delete can find it without reading anything. 16 hex characters of SHA-256 (64 bits). Kept free of zod so the
 * API bundle can import it without the article schemas.
 */
export const articleIdForKey = (key: string): string =>
  createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 16);
