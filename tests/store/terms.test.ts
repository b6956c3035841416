import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STOPWORDS, searchTokens } from '../../functions/store/terms';

/** The definition searchTokens had before its ASCII fast path: the API and the writer must keep agreeing on it. */
const reference = (text: string): string[] =>
  text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length >= 2 && t.length <= 64 && !STOPWORDS.has(t));

describe('searchTokens', () => {
  it('tokenises ASCII and non-ASCII text alike', () => {
    expect(searchTokens('Sergei Shoigu, the Minister-of-Defence (2024)')).toEqual([
      'sergei',
      'shoigu',
      'minister',
      'defence',
      '2024',
    ]);
    expect(searchTokens('Ângela Merkel’s CDU in Köln')).toEqual(['ângela', 'merkel', 'cdu', 'köln']);
    // A decomposed accent is composed first (NFC), so both spellings give the same term.
    expect(searchTokens('Cafe\u0301 Zoë')).toEqual(searchTokens('Café Zoë'));
  });

  it('gives the same tokens as the Unicode-aware definition, on ASCII and on any text', () => {
    const words = fc.constantFrom(
      'the',
      'of',
      'Mr',
      'van',
      'EU',
      'a',
      'x'.repeat(70),
      'Köln',
      'e\u0301',
      '2024',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary-ascii' }),
      fc.string({ unit: 'grapheme' }),
      fc.array(fc.oneof(words, fc.string()), { maxLength: 8 }).map((ws) => ws.join(' ')),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(searchTokens(t)).toEqual(reference(t));
      }),
      { numRuns: 2000 },
    );
  });
});
