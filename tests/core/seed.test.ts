import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArticleSchema, normaliseArticle } from '../../functions/core';
import { expectArticle, names, SEED } from './helpers';

const article = expectArticle(normaliseArticle(readFileSync(SEED), 'seeds/000_bd00a772a06d1794.txt'));

describe('the seed article (golden)', () => {
  it('is a valid record', () => {
    expect(ArticleSchema.safeParse(article).success).toBe(true);
  });

  it('reads the inline date, 14 paragraphs and derives the headline from the lede', () => {
    expect(article.publishedDate).toBe('2024-11-13');
    expect(article.paragraphs).toHaveLength(14);
    expect(article.headlineSource).toBe('lede');
    expect(article.lede.startsWith('Senior Russian official Sergei Shoigu')).toBe(true);
    expect(article.headline.length).toBeGreaterThan(20);
    expect(article.headline.length).toBeLessThan(article.lede.length);
    expect(article.lede.startsWith(article.headline.replace(/…$/, ''))).toBe(true);
  });

  it('finds exactly the four people, with surnames counted as mentions of the full name', () => {
    expect(names(article.people).sort()).toEqual([
      'Sergei Shoigu',
      'Vladimir Putin',
      'Wang Yi',
      'Xi Jinping',
    ]);
    const mentions = Object.fromEntries(article.people.map((person) => [person.name, person.mentions]));
    expect(mentions['Sergei Shoigu']).toBeGreaterThanOrEqual(5);
    expect(mentions['Wang Yi']).toBeGreaterThanOrEqual(3);
    expect(mentions['Vladimir Putin']).toBe(2);
  });

  it('finds the places, with no punctuation stuck to them', () => {
    const places = names(article.places);
    for (const place of [
      'Russia',
      'China',
      'Beijing',
      'Moscow',
      'Ukraine',
      'North Korea',
      'United States',
      'Zhuhai',
    ]) {
      expect(places).toContain(place);
    }
    const all = [...places, ...names(article.people), ...names(article.organizations)];
    for (const name of all) expect(name).toMatch(/^[\p{L}\d][\p{L}\d .&'’-]*[\p{L}\d]$/u);
  });

  it('finds the Security Council and NATO', () => {
    expect(names(article.organizations)).toEqual(expect.arrayContaining(['Security Council', 'NATO']));
  });

  it('attributes five quotes: three to Shoigu (the third by "he said") and two to Wang Yi', () => {
    expect(article.quotes.map((quote) => quote.speaker)).toEqual([
      'Sergei Shoigu',
      'Sergei Shoigu',
      'Sergei Shoigu',
      'Wang Yi',
      'Wang Yi',
    ]);
    expect(article.quotes[2]?.text.startsWith('Although it is not a military-political alliance')).toBe(true);
    expect(article.quotes[2]?.paragraph).toBe(5);
    const texts = article.quotes.map((quote) => quote.text);
    expect(texts).not.toContain('containment');
    expect(texts).not.toContain('decisive enabler');
  });

  it('resolves relative dates backwards from the published date', () => {
    expect(article.dates).toEqual(
      expect.arrayContaining([
        { text: 'on Tuesday', date: '2024-11-12', precision: 'day' },
        { text: 'Last month', date: '2024-10', precision: 'month' },
      ]),
    );
  });

  it('keeps the original wording and records what it guessed', () => {
    expect(article.paragraphs[10]).toBe(
      "Russia's most advanced jet, the Su-57 stealth fighter, made a display flight at the show.",
    );
    expect(article.warnings).toContain('no headline line; headline derived from the lede');
    expect(article.language).toBe('en');
    expect(article.keywords.length).toBeGreaterThan(0);
  });
});
