import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseArticle } from '../../functions/core';
import { expectArticle, SEED } from './helpers';

/**
 * Every header shape the README's header rule promises, each built at run time from the seed: its body
 * paragraphs (the seed without its ` date 2024-11-13 ` marker) under a different header.
 */
const seedBody = readFileSync(SEED, 'utf8')
  .replace(/^\s*date \d{4}-\d{2}-\d{2} /, '')
  .trim();
const seedParagraphs = seedBody.split(/\n\s*\n/);
const HEADLINE = 'Russia and China pledge to counter US containment';
const LEDE_START = 'Senior Russian official Sergei Shoigu';

const parse = (text: string) => expectArticle(normaliseArticle(new TextEncoder().encode(text), 'shape.txt'));

describe('header shapes built from the seed', () => {
  it('the seed itself: the date line’s rest is the lede when it is a sentence', () => {
    const article = parse(readFileSync(SEED, 'utf8'));
    expect(article.headlineSource).toBe('lede');
    expect(article.lede.startsWith(LEDE_START)).toBe(true);
    expect(article.paragraphs).toHaveLength(14);
    expect(article.dateline).toBeNull();
  });

  it('date line with a headline, a blank line, a dateline line glued to the lede', () => {
    const article = parse(` date 2024-11-12 ${HEADLINE}\n\nBEIJING\n${seedBody}`);
    expect(article.publishedDate).toBe('2024-11-12');
    expect(article.headline).toBe(HEADLINE);
    expect(article.headlineSource).toBe('title');
    expect(article.dateline).toBe('BEIJING');
    expect(article.lede.startsWith(LEDE_START)).toBe(true);
    expect(article.paragraphs).toHaveLength(14);
    expect(article.warnings).toEqual([]);
  });

  it('date line with a section label, the headline on the next line, single-newline paragraphs', () => {
    const article = parse(` date 2024-11-13 International\n${HEADLINE}\n${seedParagraphs.join('\n')}`);
    expect(article.section).toBe('International');
    expect(article.headline).toBe(HEADLINE);
    expect(article.headlineSource).toBe('title');
    expect(article.lede.startsWith(LEDE_START)).toBe(true);
    expect(article.paragraphs).toHaveLength(14);
  });

  it('a headline right after the date marker, then a blank line', () => {
    const article = parse(` date 2025-03-04 Harbour plan faces fresh delay\n\n${seedBody}`);
    expect(article.publishedDate).toBe('2025-03-04');
    expect(article.headline).toBe('Harbour plan faces fresh delay');
    expect(article.headlineSource).toBe('title');
    expect(article.paragraphs).toHaveLength(14);
    expect(article.lede.startsWith(LEDE_START)).toBe(true);
    expect(article.warnings).not.toContain('no headline line; headline derived from the lede');
  });

  it('a headline ending in an ellipsis is still a headline', () => {
    const article = parse(`Pledges to counter containment...\n\n${seedBody}`);
    expect(article.headline).toBe('Pledges to counter containment...');
    expect(article.headlineSource).toBe('title');
    expect(article.paragraphs).toHaveLength(14);
  });

  it.each([
    ['BEIJING (AFP) - ', 'BEIJING'],
    ['LONDON, Nov 13 (Reuters) - ', 'LONDON'],
    ['WASHINGTON — ', 'WASHINGTON'],
    ['WASHINGTON, D.C. -- ', 'WASHINGTON, D.C.'],
    ['NEW YORK, Nov. 13 (AP) – ', 'NEW YORK'],
  ])('a wire dateline "%s" at the start of the lede gives the dateline %s', (prefix, dateline) => {
    for (const text of [
      ` date 2024-11-13 ${prefix}${seedBody}`,
      ` date 2024-11-13 ${HEADLINE}\n\n${prefix}${seedBody}`,
    ]) {
      const article = parse(text);
      expect(article.dateline).toBe(dateline);
      expect(article.lede.startsWith(LEDE_START)).toBe(true);
      expect(article.paragraphs).toHaveLength(14);
    }
  });

  it('a dateline line may carry a date and an agency', () => {
    const article = parse(` date 2024-11-13\n${HEADLINE}\nBEIJING, Nov 13 (AFP)\n\n${seedBody}`);
    expect(article.dateline).toBe('BEIJING');
    expect(article.headline).toBe(HEADLINE);
    expect(article.paragraphs).toHaveLength(14);
  });

  it('an upper-case acronym opening the lede without a dash is not a dateline', () => {
    const article = parse(
      ` date 2024-11-13 NATO members met in Brussels on Tuesday to discuss the war.\n\n${seedBody}`,
    );
    expect(article.dateline).toBeNull();
    expect(article.lede.startsWith('NATO members')).toBe(true);
  });
});
