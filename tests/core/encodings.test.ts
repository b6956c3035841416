import { describe, expect, it } from 'vitest';
import { normaliseArticle } from '../../functions/core';
import { expectArticle, fixture } from './helpers';

const reference = expectArticle(normaliseArticle(fixture('encodings/utf8.txt'), 'utf8.txt'));

describe('encodings and line endings', () => {
  it.each([
    ['encodings/utf8-bom.txt', 'removed a UTF-8 byte order mark'],
    ['encodings/crlf.txt', null],
    ['encodings/utf16le-bom.txt', 'decoded as UTF-16LE (byte order mark)'],
    ['encodings/utf16be-bom.txt', 'decoded as UTF-16BE (byte order mark)'],
    ['encodings/windows-1252.txt', 'decoded as Windows-1252 (the bytes are not valid UTF-8)'],
  ])('%s reads the same as the UTF-8 original', (name, warning) => {
    const article = expectArticle(normaliseArticle(fixture(name), name));
    expect(article.paragraphs).toEqual(reference.paragraphs);
    expect(article.headline).toBe('Prices rise at the pump');
    expect(article.publishedDate).toBe('2024-06-03');
    expect(article.people).toEqual(reference.people);
    expect(article.quotes).toEqual(reference.quotes);
    if (warning) expect(article.warnings).toContain(warning);
    else expect(article.warnings).toEqual(reference.warnings);
  });

  it('keeps "£" and curly quotes from Windows-1252 bytes (never "Â£")', () => {
    const article = expectArticle(normaliseArticle(fixture('encodings/windows-1252.txt'), 'w.txt'));
    expect(article.lede).toContain('£1.52');
    expect(article.paragraphs.join(' ')).not.toContain('Â');
    expect(article.paragraphs[1]).toContain('\u201cDrivers will feel this');
    expect(article.quotes[0]?.speaker).toBe('Tom Hale');
  });

  it('decodes UTF-16 without a byte order mark from its byte pattern', () => {
    const text = new TextDecoder().decode(fixture('encodings/utf8.txt'));
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      bytes[i * 2] = code & 0xff;
      bytes[i * 2 + 1] = code >> 8;
    }
    const article = expectArticle(normaliseArticle(bytes, 'utf16-no-bom.txt'));
    expect(article.paragraphs).toEqual(reference.paragraphs);
    expect(article.warnings.some((warning) => warning.includes('UTF-16LE'))).toBe(true);
  });

  it('treats CR-only line endings as line breaks', () => {
    const text = new TextDecoder().decode(fixture('encodings/utf8.txt')).replace(/\n/g, '\r');
    const article = expectArticle(normaliseArticle(new TextEncoder().encode(text), 'cr.txt'));
    expect(article.paragraphs).toEqual(reference.paragraphs);
  });
});
