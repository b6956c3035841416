import { gunzipSync, gzipSync } from 'node:zlib';
import * as z from 'zod';

/**
 * The item keys (`pk\u0000sk`, ./keys.ts itemKeyOf) an APPLIED item lists, stored gzip-compressed JSON. Every key
 * repeats the article id and most repeat its date, so an average article's ~45 keys compress to a few hundred
 * bytes and the APPLIED item stays within one write unit.
 */
const KeyListSchema = z.array(z.string());

export const encodeKeyList = (keys: readonly string[]): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(gzipSync(Buffer.from(JSON.stringify(keys), 'utf8'), { level: 6 }));

/** An absent list is empty; a list that does not decode is an error (the caller cannot know what to remove). */
export const decodeKeyList = (bytes: Uint8Array | undefined): string[] => {
  if (bytes === undefined || bytes.byteLength === 0) return [];
  return KeyListSchema.parse(JSON.parse(gunzipSync(bytes).toString('utf8')));
};
