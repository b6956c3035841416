import { describe, expect, it } from 'vitest';
import type { Article } from '../../functions/core/article';
import { derive } from '../../functions/store/derive';
import { dateShardOf } from '../../functions/store/keys';
import { TERM_CAP, termsOf } from '../../functions/store/terms';
import { type articleText, standInArticle } from '../support/stand-in-core';

const article = (input: Parameters<typeof articleText>[0], key = 'derive.txt'): Article =>
  standInArticle(key, input);

describe('what a record derives (the one definition)', () => {
  it('a date entry in its month shard, an entity entry per name, an alias per surname, a term per word', () => {
    const a = article({
      headline: 'Talks',
      date: '2024-11-13',
      people: ['Sergei Shoigu'],
      places: ['Beijing'],
      keywords: ['security'],
    });
    const { entries, month } = derive(a);
    expect(month).toBe('2024-11');
    expect([...entries.values()].map((e) => e.pk).sort()).toEqual(
      [
        `DATE#2024-11#${dateShardOf(a.id)}`,
        'ENT#person#sergei shoigu',
        'ALIAS#person#shoigu',
        'ENT#place#beijing',
        ...termsOf(a).map((t) => `TERM#${t.term}`),
      ].sort(),
    );
    for (const entry of entries.values())
      expect(entry).toMatchObject({
        id: a.id,
        headline: 'Talks',
        publishedDate: '2024-11-13',
        contentHash: a.contentHash,
      });
  });

  it('is a pure function: the same article derives the same items; no article derives nothing', () => {
    const a = article({ headline: 'Again', date: '2024-01-02', people: ['Ann Lee'] });
    expect(derive(a)).toEqual(derive(structuredClone(a)));
    expect(derive(null)).toEqual({ entries: new Map(), month: null });
  });

  it('an undated article has no date entry and no month, and its entity entries sort last', () => {
    const a = article({ headline: 'Undated', people: ['Ann Lee'] });
    const { entries, month } = derive(a);
    expect(month).toBeNull();
    expect([...entries.values()].some((e) => e.pk.startsWith('DATE#'))).toBe(false);
    expect([...entries.values()].find((e) => e.pk === 'ENT#person#ann lee')?.sk).toBe(`0000-00-00#${a.id}`);
  });

  it('spreads articles of one month over the four date shards', () => {
    const shards = new Set(
      Array.from({ length: 64 }, (_, i) =>
        dateShardOf(article({ headline: `N${i}`, date: '2024-11-01' }, `k${i}.txt`).id),
      ),
    );
    expect([...shards].sort()).toEqual([0, 1, 2, 3]);
  });

  it(`keeps the ${TERM_CAP} heaviest terms, deterministically`, () => {
    const many = article({
      headline: 'Many',
      keywords: Array.from({ length: 40 }, (_, i) => `keyword${String(i).padStart(2, '0')}`),
      people: ['Zed Alpha'],
    });
    const terms = termsOf(many);
    expect(terms).toHaveLength(TERM_CAP);
    expect(terms).toEqual(termsOf(many));
    expect(terms[0]).toEqual({ term: 'keyword00', weight: 3 });
  });
});
