import { describe, expect, it } from 'vitest';
import { type ArticleWrites, ceilingOf, LIMITS, windowFigures } from './capacity-model';

const entry = (pk: string, sk: string, bytes = 100) => ({ pk, sk, item: { pk, sk, pad: 'x'.repeat(bytes) } });
const article = (id: string, extra: ArticleWrites['transaction'] = []): ArticleWrites => ({
  id,
  transaction: [entry(`ART#${id}`, 'ARTICLE', 1500), entry(`ART#${id}`, 'UPLOAD'), ...extra],
});

describe('capacity model', () => {
  it('bills transactional writes double per started KB and folds catalogue updates per window', () => {
    const articles = [1, 2, 3, 4].map((i) =>
      article(`a${i}`, [entry('ENT#place#leeds', `2024-01-01#a${i}`)]),
    );
    const f = windowFigures(articles, { batchSize: 1_000, seconds: 2 });
    expect(f.rate).toBe(2);
    // Article 2 KB -> 2 units x2; outcome and entry 1 unit x2 each: 8 WCU per article in the transaction.
    expect(f.transactionWcuPerArticle).toBe(8);
    // One catalogue update for Leeds per 2 s window, spread over 4 articles.
    expect(f.consumerWcuPerArticle).toBe(0.25);
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
    expect(ceilingOf(live, LIMITS.tableWcuRaised, null)).toMatchObject({ articlesPerSecond: 500 });
    expect(ceilingOf(live, LIMITS.tableWcuRaised, null).limit).toMatch(/DATE#2026-12/);
    expect(ceilingOf(live, LIMITS.tableWcuDefault, LIMITS.newTableWarmWcu).limit).toMatch(/warm/);
  });
});
