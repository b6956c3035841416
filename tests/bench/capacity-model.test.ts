import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../functions/core/article';
import { derive } from '../../functions/store/derive';
import { STREAM_TUNING } from '../../infra/constructs/stream-consumers';
import { makeArticle } from '../api/fixtures';
import {
  type ArticleWrites,
  articleUnits,
  LIMITS,
  partitionCheck,
  shardsFor,
  windowFigures,
} from './capacity-model';
import { CONSUMER, writesFor } from './capacity-section';

const w = (pk: string, sk: string, bytes = 100) => ({ pk, sk, bytes });
const article = (
  id: string,
  derived: ArticleWrites['derived'] = [],
  counters: ArticleWrites['counters'] = [],
) => ({
  id,
  record: w(`ART#${id}`, 'RECORD', 2_100),
  appliedWidened: derived.length ? w(`ART#${id}`, 'APPLIED', 300) : null,
  applied: w(`ART#${id}`, 'APPLIED', 400),
  derived,
  month: '2026-12',
  counters,
});

describe('capacity model', () => {
  it('bills 1 unit per started KB: record, APPLIED twice when there are new keys, every derived item', () => {
    const a = article('a', [w('DATE#2026-12#0', '2026-12-04#a', 1_025), w('TERM#x', '000001#a')]);
    // record 3 + widened 1 + stamped 1 + date entry 2 + term 1
    expect(articleUnits(a)).toEqual({ ingest: 3, derive: 5, total: 8 });
    expect(articleUnits(article('b'))).toEqual({ ingest: 3, derive: 1, total: 4 });
  });

  it('folds catalogue updates per batch: at most batchSize records or windowS seconds per stream shard', () => {
    const counter = { pk: 'ENTCAT#person#j', sk: 'jane doe', bytes: 300, from: 'ENT#person#jane doe' };
    const articles = Array.from({ length: 40 }, (_, i) =>
      article(`a${i}`, [w('ENT#person#jane doe', `2026-12-04#a${i}`)], [counter]),
    );
    // 40 articles at 4/s: 10 s, two 5 s windows -> two updates (and two consistent GetItems).
    const slow = windowFigures(articles, 4, { batchSize: 1_000, windowS: 5 });
    expect(slow.countUpdatesPerSecond).toBeCloseTo(2 / 10);
    expect(slow.hottestByClass['ENTCAT#']).toMatchObject({ pk: 'ENTCAT#person#j' });
    // 40 articles at 40/s with batches of 10 records: four batches in 1 s -> 4 updates/s on the item.
    const fast = windowFigures(articles, 40, { batchSize: 10, windowS: 5 });
    expect(fast.countUpdatesPerSecond).toBe(4);
    expect(fast.hottestByClass['ENTCAT#']?.wcu).toBe(4);
    // The entity partition takes every article's entry: 40 WCU/s, the hottest.
    expect(fast.hottest).toMatchObject({ pk: 'ENT#person#jane doe', wcu: 40 });
  });

  it('finds a partition that binds: one date partition at 1,200 articles/s', () => {
    const hot = Array.from({ length: 1_200 }, (_, i) =>
      article(`h${i}`, [w('DATE#2026-12', `2026-12-04#h${i}`)]),
    );
    const f = windowFigures(hot, 1_200, CONSUMER);
    expect(f.hottest.pk).toBe('DATE#2026-12');
    expect(partitionCheck(f)).toMatchObject({ binds: true });
    expect(partitionCheck(f).scaledCeiling).toBeCloseTo(1_000);
    expect(shardsFor(f.tableWcu)).toBeGreaterThan(1);
  });

  it('uses the deployed stream batching', () => {
    expect(CONSUMER.batchSize).toBe(STREAM_TUNING.batchSize);
    expect(Duration.seconds(CONSUMER.windowS).toSeconds()).toBe(STREAM_TUNING.maxBatchingWindow.toSeconds());
  });

  it("builds an article's writes from the real items: every derived key, a counter per entity entry", () => {
    const a: Article = makeArticle({
      key: 'k.txt',
      headline: 'Jane Doe visits Leeds',
      publishedDate: '2026-12-04',
      people: [['Jane Doe', 3]],
      places: [['Leeds', 2]],
      organizations: [['Acme', 1]],
      keywords: ['council'],
    });
    const writes = writesFor(a, 'k.txt');
    const derived = derive(a);
    expect(writes.derived.map((d) => `${d.pk}\u0000${d.sk}`).sort()).toEqual(
      [...derived.entries.keys()].sort(),
    );
    expect(writes.counters).toHaveLength(3);
    expect(writes.counters.map((c) => c.pk).sort()).toEqual([
      'ENTCAT#organization#a',
      'ENTCAT#person#j',
      'ENTCAT#place#l',
    ]);
    for (const c of writes.counters) expect(c.pk).toMatch(/^ENTCAT#(person|place|organization)#[0a-z~]$/);
    expect(writes.record).toMatchObject({ pk: `ART#${a.id}`, sk: 'RECORD' });
    expect(writes.record.bytes).toBeGreaterThan(100);
    expect(writes.record.bytes).toBeLessThan(LIMITS.itemBytes);
    expect(writes.appliedWidened).not.toBeNull();
    const unsharded = writesFor(a, 'k.txt', { unshardedCatalogue: true });
    for (const c of unsharded.counters) expect(c.pk).toMatch(/^ENTCAT#(person|place|organization)$/);
  });
});
