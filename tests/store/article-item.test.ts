import { describe, expect, it } from 'vitest';
import { type Article, isRejection } from '../../functions/core/article';
import { decodeBody, encodeBody } from '../../functions/store/article-item';
import { bodyKeyFor, MAX_INLINE_BODY_BYTES, prepareRecord } from '../../functions/store/record';
import { padSequencer } from '../../functions/store/sequencer';
import { articleText, standInNormalise } from '../support/stand-in-core';

const article = (prose?: string): Article => {
  const result = standInNormalise(
    Buffer.from(articleText({ headline: 'Words', date: '2024-11-13', ...(prose ? { prose } : {}) })),
    'k.txt',
  );
  if (isRejection(result)) throw new Error(result.detail);
  return result;
};
const request = (a: Article) => ({
  key: a.source.key,
  sequencer: padSequencer('0062E9A1B2'),
  parserVersion: a.parserVersion,
  change: { kind: 'ingested' as const, article: a },
});
/** Prose gzip cannot shrink much: distinct pseudo-random words. */
const noise = (words: number) =>
  Array.from({ length: words }, (_, i) => ((i * 2654435761) >>> 0).toString(36) + (i % 97).toString(36)).join(
    ' ',
  );

describe('the record', () => {
  it('round-trips an article through its gzip body', () => {
    const a = article();
    expect(decodeBody(encodeBody(a))).toEqual(a);
  });

  it('keeps a body that fits in the record, with nothing to put elsewhere', () => {
    const a = article();
    const { item, overflow } = prepareRecord(request(a), a.id, '2026-12-07T00:00:00.000Z');
    expect(overflow).toBeNull();
    expect(item).toMatchObject({
      sk: 'RECORD',
      status: 'ingested',
      articleId: a.id,
      contentHash: a.contentHash,
    });
    expect(item.body?.byteLength).toBeLessThanOrEqual(MAX_INLINE_BODY_BYTES);
  });

  it('moves a body over the inline limit to the body bucket, under a key derived from its bytes', () => {
    const a = article(noise(20_000));
    const { item, overflow } = prepareRecord(request(a), a.id, '2026-12-07T00:00:00.000Z');
    expect(item.body).toBeUndefined();
    expect(overflow?.body.byteLength).toBeGreaterThan(MAX_INLINE_BODY_BYTES);
    expect(item.bodyKey).toBe(bodyKeyFor(a.id, encodeBody(a)));
    expect(overflow?.key).toBe(item.bodyKey);
  });

  it('names each write of a record apart (rev), so what was derived can say which write it followed', () => {
    const a = article();
    const one = prepareRecord(request(a), a.id, '2026-12-07T00:00:00.000Z').item.rev;
    const two = prepareRecord(request(a), a.id, '2026-12-07T00:00:00.000Z').item.rev;
    expect(one).not.toBe(two);
  });

  it('a rejection or a delete holds only the outcome', () => {
    const { item } = prepareRecord(
      { ...request(article()), change: { kind: 'rejected', reason: 'too-short', detail: 'five words' } },
      'abc',
      '2026-12-07T00:00:00.000Z',
    );
    expect(item).toMatchObject({ status: 'rejected', reason: 'too-short', detail: 'five words' });
    expect(item.body).toBeUndefined();
    expect(item.articleId).toBeUndefined();
  });
});
