import { describe, expect, it } from 'vitest';
import { MAX_ARTICLE_BYTES, normaliseArticle } from '../../functions/core';
import { extractDates, MAX_CHRONO_CHARS, MAX_DATE_MENTIONS, MAX_DATES } from '../../functions/core/dates';
import { expectArticle } from './helpers';

const PUBLISHED = '2024-11-13';
const MIB = 1024 * 1024;
/** One paragraph of `shape` repeated to about `size` characters, with no sentence end to cut at. */
const repeated = (shape: string, size: number): string =>
  shape
    .repeat(Math.ceil(size / shape.length))
    .slice(0, size)
    .trim();

describe('dates in a hostile single paragraph of 1 MiB', () => {
  it.each([
    [
      'on Tuesday and last Friday ',
      [
        { text: 'on Tuesday', date: '2024-11-12', precision: 'day' },
        { text: 'last Friday', date: '2024-11-08', precision: 'day' },
      ],
    ],
    ['in March and May ', [{ text: 'March', date: '2024-03', precision: 'month' }]],
    ['in 2020 and ', [{ text: 'in 2020', date: '2020', precision: 'year' }]],
  ] as const)('reads "%s" repeated as the same few dates', (shape, expected) => {
    expect(extractDates([repeated(shape, MIB)], PUBLISHED)).toEqual(expected);
  });

  it('keeps an article whose one paragraph fills the size limit, with a bounded date list', () => {
    const header = `date ${PUBLISHED}\n\nA headline about dates\n\n`;
    const body = repeated('on Tuesday and last Friday ', MAX_ARTICLE_BYTES - header.length - 1);
    const article = expectArticle(
      normaliseArticle(new TextEncoder().encode(`${header}${body}\n`), 'big.txt'),
    );
    expect(article.dates.length).toBeGreaterThan(0);
    expect(article.dates.length).toBeLessThanOrEqual(MAX_DATES);
    expect(article.dates).toContainEqual({ text: 'on Tuesday', date: '2024-11-12', precision: 'day' });
  });
});

describe('date caps', () => {
  const years = Array.from({ length: 200 }, (_, offset) => `in ${1900 + offset}`);

  it(`keeps the first ${MAX_DATES} distinct dates, in order of mention`, () => {
    const dates = extractDates([years.join(' and ')], PUBLISHED);
    expect(dates).toHaveLength(MAX_DATES);
    expect(dates.map((date) => date.date)).toEqual(years.slice(0, MAX_DATES).map((text) => text.slice(3)));
  });

  it('counts the cap across paragraphs', () => {
    const dates = extractDates(years, PUBLISHED);
    expect(dates).toHaveLength(MAX_DATES);
    expect(dates.at(-1)?.date).toBe(String(1900 + MAX_DATES - 1));
  });

  it(`stops reading after ${MAX_DATE_MENTIONS} mentions, repeats included`, () => {
    const filler = 'on Tuesday and '.repeat(MAX_DATE_MENTIONS);
    expect(extractDates([`${filler} in 1999`], PUBLISHED)).toEqual([
      { text: 'on Tuesday', date: '2024-11-12', precision: 'day' },
    ]);
    // Below the mention cap the same late date is found: the cap, not the filler, hid it.
    const shorter = 'on Tuesday and '.repeat(MAX_DATE_MENTIONS - 2);
    expect(extractDates([`${shorter} in 1999`], PUBLISHED)).toContainEqual({
      text: 'in 1999',
      date: '1999',
      precision: 'year',
    });
  });
});

describe('long paragraphs read in pieces', () => {
  it('reads a date whole wherever the piece boundary falls', () => {
    const words = 'the committee met again ';
    for (let shift = 0; shift < 40; shift += 1) {
      const lead = repeated(words, MAX_CHRONO_CHARS - 20 + shift);
      const paragraph = `${lead} last Friday to vote ${repeated(words, MAX_CHRONO_CHARS * 2)}`;
      expect(extractDates([paragraph], PUBLISHED), `shift ${shift}`).toEqual([
        { text: 'last Friday', date: '2024-11-08', precision: 'day' },
      ]);
    }
  });

  it('keeps the month-name guard, which looks at the words before, wherever the boundary falls', () => {
    for (let shift = 0; shift < 24; shift += 1) {
      const lead = repeated('the talks went on ', MAX_CHRONO_CHARS - 16 + shift);
      const tail = repeated('the talks went on ', MAX_CHRONO_CHARS);
      expect(extractDates([`${lead} as Theresa May spoke ${tail}`], PUBLISHED), `shift ${shift}`).toEqual([]);
      expect(extractDates([`${lead} and met in May ${tail}`], PUBLISHED), `shift ${shift}`).toEqual([
        { text: 'May', date: '2024-05', precision: 'month' },
      ]);
    }
  });

  it('finds the same dates in a long paragraph as in its sentences read one by one', () => {
    const sentences = Array.from(
      { length: 120 },
      (_, n) => `Officials met on ${1 + (n % 28)} March ${1990 + (n % 30)} to talk about the budget.`,
    );
    const whole = extractDates([sentences.join(' ')], PUBLISHED);
    expect(sentences.join(' ').length).toBeGreaterThan(MAX_CHRONO_CHARS * 3);
    expect(whole).toEqual(extractDates(sentences, PUBLISHED));
  });
});

describe('bare years', () => {
  it('skips a bare year inside a date chrono already read', () => {
    expect(extractDates(['It opened on 14 May, 1870 and closed in 1999.'], PUBLISHED)).toEqual([
      { text: 'on 14 May, 1870', date: '1870-05-14', precision: 'day' },
      { text: 'in 1999', date: '1999', precision: 'year' },
    ]);
  });

  it('compares a bare year only with dates in its own paragraph', () => {
    // Same offsets in both paragraphs: an earlier paragraph's date must not hide this one's year.
    const dates = extractDates(['It opened on 14 May, 1870.', 'It opened in 1971 again.'], PUBLISHED);
    expect(dates).toContainEqual({ text: 'in 1971', date: '1971', precision: 'year' });
  });
});

describe('weekday abbreviations that are ordinary words', () => {
  it('reads "sat", "sun" and "wed" in lower case as words, a capitalised weekday still as a day', () => {
    expect(
      extractDates(
        ['He sat down as the sun came out; the pair wed last year.', 'Talks resume on Tuesday and on Sat.'],
        PUBLISHED,
      ),
    ).toEqual([
      { text: 'last year', date: '2023', precision: 'year' },
      { text: 'on Tuesday', date: '2024-11-12', precision: 'day' },
      { text: 'on Sat', date: '2024-11-09', precision: 'day' },
    ]);
  });
});
