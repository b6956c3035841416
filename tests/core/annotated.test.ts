import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { normaliseArticle } from '../../functions/core';
import { expectArticle, FIXTURES, names } from './helpers';

const GoldSchema = z.object({
  people: z.array(z.string()),
  places: z.array(z.string()),
  organizations: z.array(z.string()),
  quotes: z.array(z.object({ start: z.string(), speaker: z.string().nullable() })),
});

const DIR = join(FIXTURES, 'annotated');
const cases = readdirSync(DIR)
  .filter((file) => file.endsWith('.txt'))
  .map((file) => ({
    file,
    article: expectArticle(normaliseArticle(readFileSync(join(DIR, file)), file)),
    gold: GoldSchema.parse(JSON.parse(readFileSync(join(DIR, file.replace(/\.txt$/, '.json')), 'utf8'))),
  }));

const TITLES = /^(?:Mr|Mrs|Ms|Dr|President|Prime|Minister|Secretary|Chancellor|Governor|Chief|Sir)\b/;
const MONTHS = /^(?:January|February|March|April|May|June|July|August|September|October|November|December)$/;

describe.each(cases)('annotated article $file', ({ article, gold }) => {
  it('finds every annotated person, with no titles, months or organisations among them', () => {
    const people = names(article.people);
    expect(people).toEqual(expect.arrayContaining(gold.people));
    for (const person of people) {
      expect(person).not.toMatch(TITLES);
      expect(person).not.toMatch(MONTHS);
      expect(gold.organizations).not.toContain(person);
      expect(gold.places).not.toContain(person);
    }
  });

  it('types organisations and places without mixing them up with people', () => {
    const orgs = names(article.organizations);
    const places = names(article.places);
    for (const org of orgs) expect(gold.people).not.toContain(org);
    for (const place of places) expect(gold.people).not.toContain(place);
    const found = gold.organizations.filter((org) => orgs.includes(org)).length;
    expect(found / gold.organizations.length).toBeGreaterThanOrEqual(0.7);
  });

  it('attributes every annotated quote to its speaker', () => {
    for (const expected of gold.quotes) {
      const quote = article.quotes.find((candidate) => candidate.text.startsWith(expected.start));
      expect(quote, expected.start).toBeDefined();
      expect(quote?.speaker, expected.start).toBe(expected.speaker);
    }
  });
});
