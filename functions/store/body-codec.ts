import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';

/**
 * How an article item's `body` (the article record as JSON) is compressed. Kept free of zod and of the article
 * schema so the API bundle can decode a body without the ingest's codec.
 *
 * Brotli at quality 0: over the BBC corpus it compresses a record (4.4 KB of JSON on average) to 1,972 bytes
 * in 0.025 ms, where gzip level 1 gave 1,819 bytes in 0.068 ms; compression was the ingest handler's largest
 * cost besides the core, and the 8% larger body rarely crosses a write-unit boundary. Items written before
 * brotli carry no `bodyEncoding` and stay readable as gzip.
 */
export const BODY_ENCODING = 'br';
export type BodyEncoding = typeof BODY_ENCODING | 'gzip';

const FAST_QUALITY = 0;
/**
 * A body over the limit at the fast quality is compressed again at this one before it is refused, so speed never
 * turns away an article a thorough setting would have stored (quality 9 with a 16 MB window: ~30 ms for 1 MiB).
 */
export const THOROUGH_QUALITY = 9;

export const compressBody = (json: string, quality = FAST_QUALITY): Buffer => {
  // From a Buffer, not the string: zlib's own string conversion measured slower.
  const bytes = Buffer.from(json, 'utf8');
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      ...(quality > FAST_QUALITY ? { [constants.BROTLI_PARAM_LGWIN]: 24 } : {}),
    },
  });
};

/** The JSON text of a body; `encoding` is the item's `bodyEncoding` attribute (absent on gzip-era items). */
export const decompressBody = (body: Uint8Array, encoding: string | undefined): string =>
  (encoding === BODY_ENCODING ? brotliDecompressSync(body) : gunzipSync(body)).toString('utf8');
