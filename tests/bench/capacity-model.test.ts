import { describe, expect, it } from 'vitest';
import { type ArticleWrites, ceilingOf, LIMITS, windowFigures } from './capacity-model';

const entry = (pk: string, sk: string, bytes = 100, transactional = false) => ({
  pk,
  sk,
  item: { pk, sk, pad: 'x'.repeat(bytes) },
  transactional,
});
const article = (id: string, extra: ArticleWrites['writes'] = []): ArticleWrites => ({
  id,
  writes: [
    entry(`ART#${id}`, 'UPLOAD'),
    entry(`ART#${id}`, 'ARTICLE', 1500),
    ...extra,
    entry(`ART#${id}`, 'UPLOAD'),
  ],
});

describe('capacity model', () => {
  it('bills writes per started KB, transactional ones double, and folds catalogue updates per window', () => {
    const articles = [1, 2, 3, 4, 5, 6, 7, 8].map((i) =>
      article(`a${i}`, [entry('ENT#place#leeds', `2024-01-01#a${i}`)]),
    );
    const f = windowFigures(articles, { batchSize: 1_000, seconds: 2 });
    expect(f.rate).toBe(4);
    // Outcome twice (put, then cleared) 1 unit each, article 2 KB -> 2 units, entry 1 unit: 5 WCU per article.
    expect(f.ingestWcuPerArticle).toBe(5);
    expect(f.itemsPerArticle).toBe(4);
    const inTransaction = windowFigures(
      [article('t', [entry('ENT#place#leeds', '2024-01-01#t', 100, true)])],
      { batchSize: 1_000, seconds: 1 },
    );
    expect(inTransaction.ingestWcuPerArticle).toBe(6);
    // One catalogue update for Leeds per 2 s window, spread over 8 articles.
    expect(f.consumerWcuPerArticle).toBe(0.125);
    expect(f.busiestPartition).toEqual({ pk: 'ENT#place#leeds', wcu: 4 });
    expect(f.mostArticlesPerItem.articles).toBe(1);
  });

  it('names the limit that binds: a shared item conflicts, a hot partition, then the table quota', () => {
    const shared = [
      article('a', [entry('ENTCAT#place', 'leeds')]),
      article('b', [entry('ENTCAT#place', 'leeds')]),
    ];
    const conflicting = windowFigures(shared, { batchSize: 1_000, seconds: 1 });
    expect(conflicting.mostArticlesPerItem.articles).toBe(2);
    expect(ceilingOf(conflicting, LIMITS.tableWcuDefault, null).limit).toMatch(/conflicts/);
    const hot = Array.from({ length: 600 }, (_, i) =>
      article(`h${i}`, [entry('DATE#2026-12', `2026-12-04#h${i}`)]),
    );
    const live = windowFigures(hot, { batchSize: 1_000, seconds: 1 });
    // One standard write unit per date entry: the month partition takes 1,000 articles a second.
    expect(ceilingOf(live, LIMITS.tableWcuRaised, null)).toMatchObject({ articlesPerSecond: 1_000 });
    expect(ceilingOf(live, LIMITS.tableWcuRaised, null).limit).toMatch(/DATE#2026-12/);
    expect(ceilingOf(live, LIMITS.tableWcuDefault, LIMITS.newTableWarmWcu).limit).toMatch(/warm/);
  });
});
