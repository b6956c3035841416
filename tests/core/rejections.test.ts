import { describe, expect, it } from 'vitest';
import {
  isRejection,
  MAX_ARTICLE_BYTES,
  MIN_ARTICLE_WORDS,
  type NormaliseResult,
  normaliseArticle,
  REJECTION_REASONS,
  RejectionSchema,
} from '../../functions/core';
import { expectArticle, fixture } from './helpers';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const article = new TextDecoder().decode(fixture('headline-first.txt'));

const reasonOf = (result: NormaliseResult): string => {
  if (!isRejection(result)) throw new Error('expected a rejection, got an article');
  expect(RejectionSchema.safeParse(result).success).toBe(true);
  return result.reason;
};

const withPrefix = (prefix: number[]): Uint8Array => new Uint8Array([...prefix, ...encode(article)]);

describe('bad input gets a clear outcome', () => {
  it.each([
    ['no bytes', new Uint8Array(0)],
    ['whitespace only', encode(' \n\t \r\n  ')],
    ['control characters only', new Uint8Array([1, 2, 3, 0x0b, 0x0c, 0x1f])],
    ['a BOM and blank lines', new Uint8Array([0xef, 0xbb, 0xbf, 0x0a, 0x0a])],
  ])('%s -> empty', (_, bytes) => {
    expect(reasonOf(normaliseArticle(bytes, 'k'))).toBe('empty');
  });

  it.each([
    ['NUL bytes', encode(`${article.slice(0, 100)}\u0000${article.slice(100)}`)],
    ['a PNG signature', withPrefix([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['a PDF signature', encode(`%PDF-1.7\n${article}`)],
    ['a ZIP signature', withPrefix([0x50, 0x4b, 0x03, 0x04])],
    ['a gzip signature', withPrefix([0x1f, 0x8b, 0x08, 0x00])],
    ['random binary', Uint8Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256)],
  ])('%s -> not-text', (_, bytes) => {
    expect(reasonOf(normaliseArticle(bytes, 'k'))).toBe('not-text');
  });

  it('over the size limit -> too-large, whatever the content', () => {
    const bytes = new Uint8Array(MAX_ARTICLE_BYTES + 1).fill(0x61);
    const result = normaliseArticle(bytes, 'big.txt');
    expect(reasonOf(result)).toBe('too-large');
    expect(isRejection(result) && result.detail).toContain(String(MAX_ARTICLE_BYTES));
  });

  it('exactly at the size limit is read', () => {
    const words = 'lorem ipsum dolor sit amet '.repeat(Math.ceil(MAX_ARTICLE_BYTES / 27));
    const bytes = encode(`Headline\n\n${words}`).subarray(0, MAX_ARTICLE_BYTES);
    expect(isRejection(normaliseArticle(bytes, 'limit.txt'))).toBe(false);
  });

  it(`fewer than ${MIN_ARTICLE_WORDS} words -> too-short`, () => {
    expect(reasonOf(normaliseArticle(encode('Headline\n\nToo few words to be an article.'), 'k'))).toBe(
      'too-short',
    );
  });

  it('JSON -> unsupported-format', () => {
    const json = JSON.stringify({ headline: 'A story', body: article });
    expect(reasonOf(normaliseArticle(encode(json), 'story.json'))).toBe('unsupported-format');
  });

  it('an XML feed -> unsupported-format', () => {
    const xml = `<?xml version="1.0"?><rss><channel><item><title>A</title><description>${article}</description></item></channel></rss>`;
    expect(reasonOf(normaliseArticle(encode(xml), 'feed.xml'))).toBe('unsupported-format');
  });

  it('HTML is cleaned into an article, with a warning', () => {
    const paragraphs = article.trim().split('\n\n').slice(1);
    const html = `<!DOCTYPE html><html><head><title>Site</title><script>var x = "<p>";</script></head><body>
      <nav><a href="/">Home</a></nav><h1>Harbour town wins grant</h1>
      ${paragraphs.map((paragraph) => `<p>${paragraph.replace(/&/g, '&amp;').replace(/£/g, '&pound;')}</p>`).join('\n')}
      <footer>Copyright</footer></body></html>`;
    const result = expectArticle(normaliseArticle(encode(html), 'page.html'));
    expect(result.headline).toBe('Harbour town wins grant');
    expect(result.paragraphs).toEqual(paragraphs);
    expect(result.warnings.some((warning) => warning.startsWith('removed HTML markup'))).toBe(true);
    expect(result.paragraphs.join(' ')).not.toMatch(/[<>]|Copyright|Home/);
  });

  it('no date line -> publishedDate null plus a warning', () => {
    const result = expectArticle(normaliseArticle(encode(article), 'k'));
    expect(result.publishedDate).toBeNull();
    expect(result.warnings).toContain('no date line; publishedDate is null');
  });

  it('an impossible date -> publishedDate null plus a warning naming the value', () => {
    const result = expectArticle(normaliseArticle(encode(`date 2024-13-45\n${article}`), 'k'));
    expect(result.publishedDate).toBeNull();
    expect(result.warnings.some((warning) => warning.includes('2024-13-45'))).toBe(true);
    expect(result.headline).toBe('Harbour town wins grant for new ferry terminal');
  });

  it('29 February exists only in leap years', () => {
    expect(expectArticle(normaliseArticle(encode(`date 2024-02-29\n${article}`), 'k')).publishedDate).toBe(
      '2024-02-29',
    );
    expect(
      expectArticle(normaliseArticle(encode(`date 2023-02-29\n${article}`), 'k')).publishedDate,
    ).toBeNull();
  });

  it('every reason used here is in the documented set', () => {
    expect(REJECTION_REASONS).toEqual(['empty', 'not-text', 'too-large', 'too-short', 'unsupported-format']);
  });
});
