import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type Article, isRejection } from '../../functions/core/article';
import {
  BODY_GZIP_LEVEL,
  BodyTooLargeError,
  decodeBody,
  encodeBody,
  MAX_BODY_BYTES,
} from '../../functions/store/article-item';
import { prepareArticle } from '../../functions/store/write-plan';
import { articleText, standInNormalise } from '../support/stand-in-core';

const base = (): Article => {
  const result = standInNormalise(
    Buffer.from(articleText({ headline: 'Words', date: '2024-11-13' })),
    'k.txt',
  );
  if (isRejection(result)) throw new Error(result.detail);
  return result;
};

/** Words drawn (deterministically) from a 3,000-word vocabulary: level 9 finds ~7% more matches than level 1. */
const wordy = (count: number): string => {
  let state = 42;
  const next = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const vocabulary = Array.from({ length: 3000 }, (_, i) => ((i * 2654435761) >>> 0).toString(36));
  return Array.from({ length: count }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(' ');
};

describe('article body codec', () => {
  it('round-trips an article through gzip', () => {
    const article = base();
    expect(decodeBody(encodeBody(article))).toEqual(article);
  });

  it('stores a body that only the best gzip level brings under the limit, rather than refusing it', () => {
    const article = { ...base(), paragraphs: [wordy(129_000)] };
    const json = JSON.stringify(article);
    // The case this test is about: too big at the fast level, small enough at level 9.
    expect(gzipSync(json, { level: BODY_GZIP_LEVEL }).byteLength).toBeGreaterThan(MAX_BODY_BYTES);
    expect(gzipSync(json, { level: 9 }).byteLength).toBeLessThanOrEqual(MAX_BODY_BYTES);
    const body = encodeBody(article);
    expect(body.byteLength).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(decodeBody(body)).toEqual(article);
  });

  it('moves a body over the limit even at level 9 out of the item, or refuses it when there is nowhere to put it', () => {
    const article = { ...base(), paragraphs: [wordy(150_000)] };
    expect(() => prepareArticle(article)).toThrow(BodyTooLargeError);
    const prepared = prepareArticle(article, 'bodies/k/1.json.gz');
    expect(prepared.article.body).toBeUndefined();
    expect(prepared.article.bodyKey).toBe('bodies/k/1.json.gz');
    expect(prepared.overflow?.body.byteLength).toBeGreaterThan(MAX_BODY_BYTES);
    expect(decodeBody(prepared.overflow?.body ?? new Uint8Array())).toEqual(article);
  });

  it('keeps a body that fits in the item, with nothing to put elsewhere', () => {
    const prepared = prepareArticle(base(), 'bodies/k/1.json.gz');
    expect(prepared.overflow).toBeNull();
    expect(prepared.article.bodyKey).toBeUndefined();
    expect(decodeBody(prepared.article.body ?? new Uint8Array())).toEqual(base());
  });
});
