import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type Article, isRejection } from '../../functions/core/article';
import {
  BodyTooLargeError,
  CorruptItemError,
  decodeBody,
  encodeBody,
  MAX_BODY_BYTES,
  toArticleItem,
} from '../../functions/store/article-item';
import { BODY_ENCODING, compressBody, THOROUGH_QUALITY } from '../../functions/store/body-codec';
import { articleText, standInNormalise } from '../support/stand-in-core';

const base = (): Article => {
  const result = standInNormalise(
    Buffer.from(articleText({ headline: 'Words', date: '2024-11-13' })),
    'k.txt',
  );
  if (isRejection(result)) throw new Error(result.detail);
  return result;
};

/**
 * Words drawn at random (mulberry32, seeded) from a 3,000-word vocabulary: about 3.2 compressed bytes per word at
 * the fast quality and 2.4 at the thorough one, so the word count picks which side of the limit a body lands on.
 */
const wordy = (count: number): string => {
  let state = 42;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const vocabulary = Array.from({ length: 3000 }, (_, i) => ((i * 2654435761) >>> 0).toString(36));
  return Array.from({ length: count }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(' ');
};

describe('article body codec', () => {
  it('round-trips an article through brotli and marks the item with its encoding', () => {
    const article = base();
    const item = toArticleItem(article, []);
    expect(item.bodyEncoding).toBe(BODY_ENCODING);
    expect(decodeBody(item.body, item.bodyEncoding)).toEqual(article);
    // Compressed, not stored as is.
    expect(item.body.byteLength).toBeLessThan(Buffer.byteLength(JSON.stringify(article)));
  });

  it('still reads a gzip body written before brotli (no bodyEncoding on the item)', () => {
    const article = base();
    expect(decodeBody(gzipSync(JSON.stringify(article)), undefined)).toEqual(article);
  });

  it('reports a body that does not decompress as a corrupt item, not a crash', () => {
    expect(() => decodeBody(new Uint8Array([1, 2, 3, 4]), BODY_ENCODING)).toThrow(CorruptItemError);
  });

  it('stores a body that only the thorough quality brings under the limit, rather than refusing it', () => {
    const article = { ...base(), paragraphs: [wordy(150_000)] };
    const json = JSON.stringify(article);
    // The case this test is about: too big at the fast quality, small enough at the thorough one.
    expect(compressBody(json).byteLength).toBeGreaterThan(MAX_BODY_BYTES);
    expect(compressBody(json, THOROUGH_QUALITY).byteLength).toBeLessThanOrEqual(MAX_BODY_BYTES);
    const body = encodeBody(article);
    expect(body.byteLength).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(decodeBody(body, BODY_ENCODING)).toEqual(article);
  });

  it('refuses a body over the limit even at the thorough quality', () => {
    expect(() => encodeBody({ ...base(), paragraphs: [wordy(170_000)] })).toThrow(BodyTooLargeError);
  });
});
