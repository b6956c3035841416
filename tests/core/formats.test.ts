import { describe, expect, it } from 'vitest';
import { normaliseArticle } from '../../functions/core';
import { expectArticle, fixture, names } from './helpers';

const parse = (name: string) => expectArticle(normaliseArticle(fixture(name), name));

describe('article formats', () => {
  it('reads a headline-first file (headline line, blank line, paragraphs) with no date', () => {
    const article = parse('headline-first.txt');
    expect(article.headline).toBe('Harbour town wins grant for new ferry terminal');
    expect(article.headlineSource).toBe('title');
    expect(article.paragraphs).toHaveLength(4);
    expect(article.publishedDate).toBeNull();
    expect(article.warnings).toContain('no date line; publishedDate is null');
    expect(names(article.people)).toEqual(
      expect.arrayContaining(['Moira Dunbar', 'Callum Reid', 'Angus Reilly']),
    );
    // "Mr Reid" is a mention of Callum Reid, not a second person.
    expect(article.people.find((person) => person.name === 'Callum Reid')?.mentions).toBe(2);
    expect(article.quotes.map((quote) => quote.speaker)).toEqual([
      'Moira Dunbar',
      'Callum Reid',
      'Angus Reilly',
    ]);
  });

  it('reads a date line, a headline line and a dateline', () => {
    const article = parse('date-headline-dateline.txt');
    expect(article.publishedDate).toBe('2025-03-04');
    expect(article.headline).toBe('Factory output rises for third month');
    expect(article.headlineSource).toBe('title');
    expect(article.dateline).toBe('BEIJING');
    expect(article.section).toBeNull();
    expect(article.paragraphs).toHaveLength(3);
    expect(article.lede.startsWith('Chinese factory output')).toBe(true);
    expect(names(article.places)).toContain('Beijing');
    expect(article.dates).toContainEqual({ text: 'on Tuesday', date: '2025-03-04', precision: 'day' });
  });

  it('reads a section label line', () => {
    const article = parse('section-label.txt');
    expect(article.section).toBe('Business');
    expect(article.headline).toBe('High street chain closes forty stores');
    expect(article.paragraphs).toHaveLength(3);
    expect(names(article.organizations)).toEqual(expect.arrayContaining(['Marlow & Finch', 'GMB']));
    expect(names(article.people)).toEqual(['Helen Ashworth']);
  });

  it('treats every line as a paragraph when the file has no blank lines', () => {
    const article = parse('single-newline.txt');
    expect(article.headline).toBe('Village library saved by volunteers');
    expect(article.paragraphs).toHaveLength(4);
    expect(article.quotes).toEqual([
      {
        text: 'People told us it could not be done, and we proved them wrong',
        speaker: 'Janet Pryce',
        paragraph: 2,
      },
    ]);
  });

  it('joins hard-wrapped lines inside blank-line paragraphs', () => {
    const text = `Wrapped headline\n\n${'word '.repeat(12)}\nand more words on the next line.\n\nSecond paragraph here with words enough.`;
    const article = expectArticle(normaliseArticle(new TextEncoder().encode(text), 'wrapped.txt'));
    expect(article.paragraphs).toHaveLength(2);
    expect(article.paragraphs[0]).toBe(`${'word '.repeat(12)}and more words on the next line.`);
  });

  it('cleans whitespace and control characters but keeps the wording', () => {
    const text =
      'date 2024-01-02\nTabs\tand  spaces\n\nThe\u00a0minister said\u0007 the  plan was "on track" and that\u200b nothing would change before the spring or the summer, officials added today.';
    const article = expectArticle(normaliseArticle(new TextEncoder().encode(text), 'messy.txt'));
    expect(article.headline).toBe('Tabs and spaces');
    expect(article.lede).toBe(
      'The minister said the plan was "on track" and that nothing would change before the spring or the summer, officials added today.',
    );
    expect(article.warnings).toContain('removed 1 control character');
  });

  it('normalises to Unicode NFC', () => {
    const decomposed =
      'Cafe\u0301 owner Jose\u0301 Garci\u0301a said the street had changed beyond recognition in ten years of trading there, and that rents had doubled.';
    const article = expectArticle(
      normaliseArticle(new TextEncoder().encode(`Headline\n\n${decomposed}`), 'nfc.txt'),
    );
    expect(article.lede).toBe(decomposed.normalize('NFC'));
    expect(article.lede).toContain('Café');
  });
});
