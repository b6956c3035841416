import { catalogueOfPartition } from '../../functions/store/catalogue-deltas';
import { itemSize, writeUnits } from './ingest-sizes';

/**
 * A capacity model of the write path on AWS, from the items the real writer plans (see ./capacity-section.ts).
 * DynamoDB's documented limits, no credit for adaptive capacity or split-for-heat:
 */
export const LIMITS = {
  partitionWcu: 1_000,
  partitionRcu: 3_000,
  /** The default account quota per on-demand table (adjustable). */
  tableWcuDefault: 40_000,
  /** A quota raised for a bulk load (what the README suggests requesting). */
  tableWcuRaised: 100_000,
  /** What a new on-demand table takes at once until it scales, unless its warm throughput is raised. */
  newTableWarmWcu: 4_000,
  transactionActions: 100,
} as const;

/**
 * One article's writes, in the writer's order: each with the item as written and whether it is inside a
 * transaction (billed double). The writer uses none today; the field keeps the model able to price one.
 */
export interface ArticleWrites {
  id: string;
  writes: Array<{ pk: string; sk: string; item: Record<string, unknown>; transactional: boolean }>;
}

export interface WindowFigures {
  rate: number;
  busiestPartition: { pk: string; wcu: number };
  /** The most articles whose ingest writes touch one and the same item in this second. */
  mostArticlesPerItem: { key: string; articles: number };
  /** Write requests per article (an item written twice, like the outcome, counts twice). */
  itemsPerArticle: number;
  ingestWcuPerArticle: number;
  /** The consumer's catalogue updates this second, spread over the second's articles. */
  consumerWcuPerArticle: number;
  wcuPerArticle: number;
  articlesOverActionLimit: number;
}

/**
 * `seconds` seconds of articles arriving at a steady rate, as per-second figures. The catalogue consumer is
 * modelled as one conditional UpdateItem (1 WCU: the item is under 1 KB) per catalogue item per batching window
 * (`seconds`, the mapping's MaximumBatchingWindowInSeconds): a stream batch folds all of its records for an item
 * into one update; an item with more records than one batch holds adds an update per extra batch.
 */
export const windowFigures = (
  articles: ArticleWrites[],
  consumer: { batchSize: number; seconds: number },
): WindowFigures => {
  const { seconds } = consumer;
  const partitions = new Map<string, number>();
  const writers = new Map<string, Set<string>>();
  const catalogue = new Map<string, number>();
  let ingestWcu = 0;
  let items = 0;
  let overLimit = 0;
  for (const article of articles) {
    if (article.writes.filter((w) => w.transactional).length > LIMITS.transactionActions) overLimit += 1;
    for (const { pk, sk, item, transactional } of article.writes) {
      const wcu = writeUnits(itemSize(item), transactional);
      ingestWcu += wcu;
      items += 1;
      partitions.set(pk, (partitions.get(pk) ?? 0) + wcu);
      const key = `${pk} | ${sk}`;
      const set = writers.get(key) ?? new Set<string>();
      set.add(article.id);
      writers.set(key, set);
      const target = sk === 'UPLOAD' ? null : catalogueOfPartition(pk);
      if (target) {
        const id = `${target.pk} | ${target.sk}`;
        catalogue.set(id, (catalogue.get(id) ?? 0) + 1);
      }
    }
  }
  let consumerWcu = 0;
  for (const [id, records] of catalogue) {
    const updates = Math.max(1, Math.ceil(records / consumer.batchSize));
    consumerWcu += updates;
    const pk = id.slice(0, id.indexOf(' | '));
    partitions.set(pk, (partitions.get(pk) ?? 0) + updates);
  }
  const busiest = [...partitions].reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0]);
  // Two articles writing one item within one second make it hot (and would conflict inside transactions).
  const most = [...writers].reduce((a, b) => (b[1].size > a[1].size ? b : a), ['', new Set<string>()]);
  const n = articles.length;
  return {
    rate: n / seconds,
    busiestPartition: { pk: busiest[0], wcu: busiest[1] / seconds },
    mostArticlesPerItem: { key: most[0], articles: most[1].size },
    itemsPerArticle: items / n,
    ingestWcuPerArticle: ingestWcu / n,
    consumerWcuPerArticle: consumerWcu / n,
    wcuPerArticle: (ingestWcu + consumerWcu) / n,
    articlesOverActionLimit: overLimit,
  };
};

export interface Ceiling {
  articlesPerSecond: number;
  limit: string;
}

/**
 * The rate at which the first limit binds, scaling this window's figures linearly (shared partitions grow with
 * the rate; catalogue updates grow no faster, so this is conservative for them). Transactions conflict only on
 * an item two articles write: with at most one article per item, conflicts set no ceiling.
 */
export const ceilingOf = (w: WindowFigures, tableWcu: number, warmWcu: number | null): Ceiling => {
  const candidates: Ceiling[] = [
    {
      articlesPerSecond: (w.rate * LIMITS.partitionWcu) / Math.max(1, w.busiestPartition.wcu),
      limit: `partition ${w.busiestPartition.pk} (1,000 WCU/s)`,
    },
    {
      articlesPerSecond: tableWcu / w.wcuPerArticle,
      limit: `table quota ${tableWcu.toLocaleString('en-GB')} WCU/s`,
    },
  ];
  if (warmWcu !== null)
    candidates.push({
      articlesPerSecond: warmWcu / w.wcuPerArticle,
      limit: `new table warm throughput ${warmWcu.toLocaleString('en-GB')} WCU/s`,
    });
  if (w.mostArticlesPerItem.articles > 1)
    candidates.push({
      articlesPerSecond: w.rate / w.mostArticlesPerItem.articles,
      limit: `transaction conflicts on ${w.mostArticlesPerItem.key}`,
    });
  return candidates.reduce((a, b) => (b.articlesPerSecond < a.articlesPerSecond ? b : a));
};
