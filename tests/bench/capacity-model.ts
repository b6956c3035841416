import { itemSize } from './ingest-sizes';

/**
 * A capacity model of the store's writes on AWS, fed with the items the real code makes for each article (see
 * ./capacity-section.ts: prepareRecord's record, derive()'s items, the APPLIED item as the derive writer puts it).
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
  /** DynamoDB's item size limit. */
  itemBytes: 400 * 1024,
} as const;

/** Write units of one standard write: 1 per started KB. */
export const wcu = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));
/** Read units of one strongly consistent read: 1 per started 4 KB. */
export const rcu = (bytes: number): number => Math.max(1, Math.ceil(bytes / 4096));

export interface ItemWrite {
  pk: string;
  sk: string;
  bytes: number;
}

/** Everything one new article costs, in the order it is written. */
export interface ArticleWrites {
  id: string;
  /** The ingest's one conditional PutItem (ART#<id>/RECORD). */
  record: ItemWrite;
  /** The derive writer's first APPLIED put (keys widened, no indexedAt): only when the record has new keys. */
  appliedWidened: ItemWrite | null;
  /** The derive writer's last APPLIED put (rev, keys, indexedAt). */
  applied: ItemWrite;
  /** Every item derive() returns (date, entity, alias, term entries), put by BatchWriteItem. */
  derived: ItemWrite[];
  /** The month whose MONTH item the derive writer ensures (one conditional put per container and month). */
  month: string | null;
  /**
   * The catalogue item each ENT# entry counts towards (count-deltas' counterOfPartition), with its size after an
   * update, and `from`: the entry's partition (its stream record's shard follows it).
   */
  counters: Array<ItemWrite & { from: string }>;
}

/** Units one article costs by itself (the shared MONTH and catalogue writes are per batch, see windowFigures). */
export const articleUnits = (a: ArticleWrites) => {
  const ingest = wcu(a.record.bytes);
  const derive =
    (a.appliedWidened ? wcu(a.appliedWidened.bytes) : 0) +
    wcu(a.applied.bytes) +
    a.derived.reduce((sum, d) => sum + wcu(d.bytes), 0);
  return { ingest, derive, total: ingest + derive };
};

export interface Consumer {
  /** Records per stream batch (the mapping's BatchSize). */
  batchSize: number;
  /** The mapping's MaximumBatchingWindowInSeconds. */
  windowS: number;
}

/** Partition classes the figures name the hottest of. */
export const PARTITION_CLASSES = ['DATE#', 'ENT#', 'ALIAS#', 'TERM#', 'ENTCAT#', 'MONTH', 'ART#'] as const;
export type PartitionClass = (typeof PARTITION_CLASSES)[number];
const classOf = (pk: string): PartitionClass | null =>
  PARTITION_CLASSES.find((c) => pk.startsWith(c)) ?? null;

export interface Hot {
  pk: string;
  wcu: number;
  rcu: number;
}

export interface WindowFigures {
  rate: number;
  seconds: number;
  articles: number;
  streamShards: number;
  /** Write units per article, the article's own writes (record + APPLIED + derived): mean and p95. */
  ownWcuPerArticle: { mean: number; p95: number; ingestMean: number; deriveMean: number };
  /** The shared writes (catalogue updates, MONTH puts) spread over the window's articles. */
  sharedWcuPerArticle: number;
  wcuPerArticle: number;
  tableWcu: number;
  /** The hottest partition overall (by WCU/s, then RCU/s) and of each class, per second. */
  hottest: Hot;
  hottestByClass: Partial<Record<PartitionClass, Hot>>;
  hottestRead: Hot;
  /** Count consumer batches (all shards) and catalogue updates per second. */
  countBatchesPerSecond: number;
  countUpdatesPerSecond: number;
  largestRecordBytes: number;
  largestDerivedBytes: number;
}

const p95 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? Number.NaN;
};

/** A stable spread of stream records over shards: a stream shard follows a table partition, so by pk. */
const shardOf = (pk: string, shards: number): number => {
  let h = 2166136261;
  for (let i = 0; i < pk.length; i++) h = Math.imul(h ^ pk.charCodeAt(i), 16777619);
  return (h >>> 0) % shards;
};

/**
 * `articles` arriving one after another at `rate` a second (so over articles.length / rate seconds), as
 * per-second figures:
 * - the ingest puts each record (ceil(bytes / 1 KB) units) after one consistent GetItem of it (its check);
 * - the derive consumer reads ART#<id> (one consistent Query: record + APPLIED), puts APPLIED widened (new keys),
 *   every derived item, and APPLIED stamped; plus one MONTH put per distinct month per stream shard in the window
 *   (each container puts a month once: in practice fewer);
 * - the count consumer gets the ENT# entries' INSERTs, split over `streamShards` shards by partition key; a shard's
 *   batch closes at `batchSize` records or `windowS` seconds after its first record, and per batch each distinct
 *   catalogue item takes one consistent GetItem (1 RCU) and one UpdateItem (ceil(bytes / 1 KB) units).
 */
export const windowFigures = (
  articles: readonly ArticleWrites[],
  rate: number,
  consumer: Consumer,
  streamShards = 1,
): WindowFigures => {
  const seconds = articles.length / rate;
  const writes = new Map<string, number>();
  const reads = new Map<string, number>();
  const add = (map: Map<string, number>, pk: string, units: number) =>
    map.set(pk, (map.get(pk) ?? 0) + units);
  const own: number[] = [];
  let ingestSum = 0;
  let deriveSum = 0;
  let largestRecord = 0;
  let largestDerived = 0;
  const months = new Set<string>();
  // Count consumer: per shard, the records in arrival order.
  const shardRecords: Array<Array<{ t: number; counter: ItemWrite }>> = Array.from(
    { length: streamShards },
    () => [],
  );
  articles.forEach((a, i) => {
    const t = i / rate;
    const units = articleUnits(a);
    own.push(units.total);
    ingestSum += units.ingest;
    deriveSum += units.derive;
    largestRecord = Math.max(largestRecord, a.record.bytes);
    add(writes, a.record.pk, wcu(a.record.bytes));
    add(reads, a.record.pk, rcu(a.record.bytes)); // the ingest's check (billed by the whole item)
    add(reads, a.record.pk, rcu(a.record.bytes + a.applied.bytes)); // the derive writer's Query
    if (a.appliedWidened) add(writes, a.appliedWidened.pk, wcu(a.appliedWidened.bytes));
    add(writes, a.applied.pk, wcu(a.applied.bytes));
    for (const d of a.derived) {
      add(writes, d.pk, wcu(d.bytes));
      largestDerived = Math.max(largestDerived, d.bytes);
    }
    if (a.month) months.add(a.month);
    for (const counter of a.counters) shardRecords[shardOf(counter.from, streamShards)]?.push({ t, counter });
  });
  let sharedWcu = 0;
  for (const _ of months) {
    add(writes, 'MONTH', streamShards);
    sharedWcu += streamShards;
  }
  let batches = 0;
  let updates = 0;
  for (const records of shardRecords) {
    let start = 0;
    while (start < records.length) {
      const t0 = records[start]?.t ?? 0;
      let end = start;
      while (
        end < records.length &&
        end - start < consumer.batchSize &&
        (records[end]?.t ?? 0) <= t0 + consumer.windowS
      )
        end++;
      const distinct = new Map<string, ItemWrite>();
      for (let k = start; k < end; k++) {
        const c = records[k]?.counter;
        if (c) distinct.set(`${c.pk}\u0000${c.sk}`, c);
      }
      for (const c of distinct.values()) {
        add(writes, c.pk, wcu(c.bytes));
        add(reads, c.pk, rcu(c.bytes));
        sharedWcu += wcu(c.bytes);
      }
      batches += 1;
      updates += distinct.size;
      start = end;
    }
  }
  const perSecond = (pk: string): Hot => ({
    pk,
    wcu: (writes.get(pk) ?? 0) / seconds,
    rcu: (reads.get(pk) ?? 0) / seconds,
  });
  const hotter = (a: Hot, b: Hot) => (b.wcu > a.wcu || (b.wcu === a.wcu && b.rcu > a.rcu) ? b : a);
  const none: Hot = { pk: '(none)', wcu: 0, rcu: 0 };
  let hottest = none;
  const hottestByClass: Partial<Record<PartitionClass, Hot>> = {};
  for (const pk of writes.keys()) {
    const h = perSecond(pk);
    hottest = hotter(hottest, h);
    const c = classOf(pk);
    if (c) hottestByClass[c] = hotter(hottestByClass[c] ?? none, h);
  }
  let hottestRead = none;
  for (const pk of reads.keys()) {
    const h = perSecond(pk);
    if (h.rcu > hottestRead.rcu) hottestRead = h;
  }
  const n = articles.length;
  const ownMean = own.reduce((a, b) => a + b, 0) / n;
  const wcuPerArticle = ownMean + sharedWcu / n;
  return {
    rate,
    seconds,
    articles: n,
    streamShards,
    ownWcuPerArticle: { mean: ownMean, p95: p95(own), ingestMean: ingestSum / n, deriveMean: deriveSum / n },
    sharedWcuPerArticle: sharedWcu / n,
    wcuPerArticle,
    tableWcu: wcuPerArticle * rate,
    hottest,
    hottestByClass,
    hottestRead,
    countBatchesPerSecond: batches / seconds,
    countUpdatesPerSecond: updates / seconds,
    largestRecordBytes: largestRecord,
    largestDerivedBytes: largestDerived,
  };
};

/** Stream shards the model assumes: one per table partition the write rate needs (at least one). */
export const shardsFor = (tableWcu: number): number => Math.max(1, Math.ceil(tableWcu / LIMITS.partitionWcu));

export interface Ceiling {
  articlesPerSecond: number;
  limit: string;
}

/** The first limit the table quota or warm throughput sets at this window's write units per article. */
export const tableCeiling = (w: WindowFigures, tableWcu: number, label: string): Ceiling => ({
  articlesPerSecond: tableWcu / w.wcuPerArticle,
  limit: `${label} ${tableWcu.toLocaleString('en-GB')} WCU/s`,
});

/**
 * Does a partition or item limit bind at this offered rate? The hottest partition's WCU/s and RCU/s against
 * 1,000 and 3,000, and the largest item against 400 KB. `headroom` is how far the rate could grow, scaling the
 * hottest partition linearly (conservative for catalogue partitions: their updates grow more slowly than the rate).
 */
export const partitionCheck = (w: WindowFigures) => {
  const wcuShare = w.hottest.wcu / LIMITS.partitionWcu;
  const rcuShare = w.hottestRead.rcu / LIMITS.partitionRcu;
  const binds = wcuShare > 1 || rcuShare > 1 || w.largestRecordBytes > LIMITS.itemBytes;
  const scaledCeiling = w.rate / Math.max(wcuShare, rcuShare, 1e-9);
  return { binds, scaledCeiling, wcuShare, rcuShare };
};

/** The bytes of a catalogue item after the count writer's update (articleCount, type, name, one shard's spans). */
export const counterItemBytes = (pk: string, sk: string, type: string, name: string): number =>
  itemSize({
    pk,
    sk,
    articleCount: 123_456,
    type,
    name,
    // An AWS stream shard id, and MAX_SPANS (4) spans of 40-digit stream positions with the epoch seconds.
    'applied:shardId-00000001700000000000-0123abcd': `${Array.from({ length: 4 }, () => `${'9'.repeat(40)}-${'9'.repeat(40)}`).join(',')}@1800000000`,
  });
