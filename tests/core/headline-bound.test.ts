import { describe, expect, it } from 'vitest';
import { normaliseArticle } from '../../functions/core';
import { MAX_HEADLINE_CHARS } from '../../functions/core/normalise';
import { expectArticle } from './helpers';

const prose =
  'The council said the new bridge would open next spring after two years of delays and rising costs for the town.';

describe('headline length', () => {
  it('cuts a headline derived from a 120 KB first sentence of few, huge words, with a warning', () => {
    // Twenty "words" of 6,000 characters: few enough tokens that the lede rule keeps the whole sentence.
    const giant = Array.from({ length: 20 }, (_, i) => `${'w'.repeat(6_000)}${i}`).join(' ');
    const text = `date 2024-11-13 ${giant}.\n\n${prose}\n\n${prose}`;
    const article = expectArticle(normaliseArticle(Buffer.from(text), 'giant.txt'));
    expect(article.headline.length).toBeLessThanOrEqual(MAX_HEADLINE_CHARS);
    expect(article.headline.endsWith('…')).toBe(true);
    expect(article.headline).not.toMatch(/\s…$/);
    expect(article.warnings).toContainEqual(expect.stringMatching(/^headline of \d+ characters cut to 250$/));
    // The text itself is kept whole: only the headline, which every index entry copies, is bounded.
    expect(article.lede.length).toBeGreaterThan(100_000);
  });

  it('leaves an ordinary headline alone', () => {
    const text = `Bridge to open next spring\n\n${prose}\n\n${prose}`;
    const article = expectArticle(normaliseArticle(Buffer.from(text), 'bridge.txt'));
    expect(article.headline).toBe('Bridge to open next spring');
    expect(article.warnings.join(' ')).not.toMatch(/cut to/);
  });
});
