import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { type Article, articleIdForKey, isRejection, PARSER_VERSION } from '../../functions/core/article';
import { normaliseArticle } from '../../functions/core/index';
import { counterOfPartition } from '../../functions/store/count-deltas';
import { derive } from '../../functions/store/derive';
import { encodeKeyList } from '../../functions/store/key-lists';
import { keys } from '../../functions/store/keys';
import { prepareRecord } from '../../functions/store/record';
import { padSequencer } from '../../functions/store/sequencer';
import {
  type ArticleWrites,
  type Consumer,
  counterItemBytes,
  LIMITS,
  PARTITION_CLASSES,
  partitionCheck,
  shardsFor,
  tableCeiling,
  type WindowFigures,
  wcu,
  windowFigures,
} from './capacity-model';
import { listTexts } from './corpus-files';
import { itemSize } from './ingest-sizes';
import type { Row, Section } from './report';

/**
 * `npm run bench` section "capacity": the model of ./capacity-model.ts fed with what the real code writes for
 * every article of the corpus (read where it lies), re-keyed and re-dated so every article is a new key:
 * - the record: prepareRecord's item (functions/store/record.ts), as the record writer puts it;
 * - the derived items: derive() (functions/store/derive.ts), the one definition the derive writer uses;
 * - APPLIED: the item the derive writer puts (functions/store/derive-writer.ts appliedItem: rev, derivedFrom,
 *   the gzip key list, indexedAt), twice for a new article (widened, then stamped);
 * - the catalogue items: counterOfPartition (functions/store/count-deltas.ts) of each ENT# entry.
 * Two workloads: live feed (every article published today: one month, its four date shards) and bulk load (dates
 * spread over five years). The names' distribution is the corpus's: articles are cycled in corpus order.
 */
/** The stream consumers' batching (infra/constructs/stream-consumers.ts STREAM_TUNING; a unit test checks it). */
export const CONSUMER: Consumer = { batchSize: 1_000, windowS: 5 };
export const RATES = [10, 20, 50, 100, 200, 500, 1_000] as const;
/** Seconds of arrivals modelled per rate: two batching windows. */
const WINDOW_S = 10;
const BULK_DAYS = 5 * 365;
/** Assumed, not measurable locally: S3 GetObject 15 ms, the record check 5 ms, the record put 5 ms. */
const AWS_ROUND_TRIPS_MS = 25;

const at = '2026-12-04T00:00:00.000Z';
const today = at.slice(0, 10);
const dayOf = (i: number) =>
  new Date(Date.parse('2021-12-05') + ((i * 7919) % BULK_DAYS) * 86_400_000).toISOString().slice(0, 10);

export interface CapacityOptions {
  /** Counters as before the letter shards (`ENTCAT#<type>`): shows what the shards changed. */
  unshardedCatalogue?: boolean;
}

/** What one new article writes, from the real code's items. */
export const writesFor = (article: Article, key: string, options: CapacityOptions = {}): ArticleWrites => {
  const id = article.id;
  const { item } = prepareRecord(
    {
      key,
      sequencer: padSequencer('0123456789ABCDEF'),
      eventTime: at,
      change: { kind: 'ingested', article },
      parserVersion: PARSER_VERSION,
      sourceETag: 'd41d8cd98f00b204e9800998ecf8427e',
    },
    id,
    at,
  );
  const { entries, month } = derive(article);
  const keyList = encodeKeyList([...entries.keys()]);
  const applied = {
    ...keys.applied(id),
    rev: randomUUID(),
    derivedFrom: `${article.contentHash}|${PARSER_VERSION}|0`,
    keys: keyList,
    indexedAt: at,
  };
  const widened = { ...keys.applied(id), rev: applied.rev, derivedFrom: 'widened', keys: keyList };
  const derived = [...entries.values()].map((e) => ({ pk: e.pk, sk: e.sk, bytes: itemSize(e) }));
  const counters = [...entries.values()].flatMap((e) => {
    const target = counterOfPartition(e.pk);
    if (!target) return [];
    const pk = options.unshardedCatalogue ? `ENTCAT#${target.type}` : target.pk;
    const name = typeof e.name === 'string' ? e.name : target.sk;
    return [{ pk, sk: target.sk, bytes: counterItemBytes(pk, target.sk, target.type, name), from: e.pk }];
  });
  return {
    id,
    record: { pk: item.pk, sk: item.sk, bytes: itemSize(item as unknown as Record<string, unknown>) },
    appliedWidened: entries.size > 0 ? { pk: widened.pk, sk: widened.sk, bytes: itemSize(widened) } : null,
    applied: { pk: applied.pk, sk: applied.sk, bytes: itemSize(applied) },
    derived,
    month,
    counters,
  };
};

export type Workload = 'live' | 'bulk';

export const workloadWrites = (
  articles: readonly Article[],
  count: number,
  kind: Workload,
  options: CapacityOptions = {},
): ArticleWrites[] =>
  Array.from({ length: count }, (_, i) => {
    const base = articles[i % articles.length] as Article;
    const key = `capacity/${kind}/${i}.txt`;
    const article: Article = {
      ...base,
      id: articleIdForKey(key),
      publishedDate: kind === 'live' ? today : dayOf(i),
    };
    return writesFor(article, key, options);
  });

/** The figures at one offered rate, with as many stream shards as the table's partitions at that write rate. */
export const modelRate = (writes: readonly ArticleWrites[], rate: number): WindowFigures => {
  const one = windowFigures(writes, rate, CONSUMER, 1);
  const shards = shardsFor(one.tableWcu);
  return shards === 1 ? one : windowFigures(writes, rate, CONSUMER, shards);
};

export const benchCapacity = (opts: { corpusDir: string | null; seedsDir: string }) => {
  const files = [...(opts.corpusDir ? listTexts(opts.corpusDir) : []), ...listTexts(opts.seedsDir)];
  const articles: Article[] = [];
  let ms = 0;
  for (const path of files) {
    const started = performance.now();
    const result = normaliseArticle(readFileSync(path), relative(opts.corpusDir ?? opts.seedsDir, path));
    if (isRejection(result)) continue;
    prepareRecord(
      {
        key: path,
        sequencer: '1',
        change: { kind: 'ingested', article: result },
        parserVersion: PARSER_VERSION,
      },
      result.id,
      at,
    );
    ms += performance.now() - started;
    articles.push(result);
  }
  if (articles.length === 0) throw new Error('capacity: no articles');
  const handlerMs = ms / articles.length + AWS_ROUND_TRIPS_MS;
  const max = Math.max(...RATES) * WINDOW_S;
  let mix: Record<string, { items: number; wcu: number }> = {};
  const runs = (['live', 'bulk'] as const).flatMap((kind) => {
    const writes = workloadWrites(articles, max, kind);
    if (kind === 'bulk') mix = derivedMix(writes.slice(0, articles.length));
    return RATES.map((rate) => ({ kind, rate, figures: modelRate(writes.slice(0, rate * WINDOW_S), rate) }));
  });
  // Before the letter shards: every name of a type counted in one partition (the live feed, where it bound).
  const unsharded = workloadWrites(articles, 100 * WINDOW_S, 'live', { unshardedCatalogue: true });
  const before = modelRate(unsharded, 100);
  return { articles: articles.length, handlerMs, runs, before, mix };
};

/** Mean derived items and write units per article by partition class (what the derive writer's units are). */
export const derivedMix = (writes: readonly ArticleWrites[]) => {
  const mix: Record<string, { items: number; wcu: number }> = {};
  for (const a of writes)
    for (const d of a.derived) {
      const c = d.pk.slice(0, d.pk.indexOf('#') + 1);
      const m = mix[c] ?? { items: 0, wcu: 0 };
      m.items += 1 / writes.length;
      m.wcu += wcu(d.bytes) / writes.length;
      mix[c] = m;
    }
  return mix;
};

const n = (x: number, digits = 0) =>
  x.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const hot = (h: { pk: string; wcu: number; rcu: number } | undefined) =>
  h ? `${h.pk} ${n(h.wcu)} WCU/s` : '(none)';

export const capacitySection = (r: ReturnType<typeof benchCapacity>): Section[] => {
  const live1000 = r.runs.find((x) => x.kind === 'live' && x.rate === 1_000)?.figures;
  const bulk1000 = r.runs.find((x) => x.kind === 'bulk' && x.rate === 1_000)?.figures;
  const sections: Section[] = [];
  if (bulk1000) {
    const f = bulk1000;
    sections.push({
      title:
        'Capacity model: write units per new article (real items: prepareRecord, derive(), APPLIED, catalogue)',
      note: `${r.articles} corpus articles, cycled; 1 WCU per started KB, standard writes (no transaction); bulk load at 1,000/s`,
      rows: [
        {
          figure: "article's own writes (record + APPLIED x2 + derived), mean / p95",
          value: `${n(f.ownWcuPerArticle.mean, 1)} / ${n(f.ownWcuPerArticle.p95)} WCU (ingest ${n(f.ownWcuPerArticle.ingestMean, 1)}, derive ${n(f.ownWcuPerArticle.deriveMean, 1)})`,
          target: '<= 50 WCU (mean)',
          pass: f.ownWcuPerArticle.mean <= 50,
        },
        {
          figure: 'derived items per article by partition (mean items / WCU)',
          value: Object.entries(r.mix)
            .map(([c, m]) => `${c} ${n(m.items, 1)} / ${n(m.wcu, 1)}`)
            .join('; '),
        },
        {
          figure: 'shared writes (catalogue updates, MONTH) per article',
          value: `${n(f.sharedWcuPerArticle, 2)} WCU (${n(f.countUpdatesPerSecond)} catalogue updates/s in ${n(f.countBatchesPerSecond, 1)} batches/s over ${f.streamShards} stream shards)`,
        },
        {
          figure: 'total per article',
          value: `${n(f.wcuPerArticle, 1)} WCU`,
          target: '<= 50 WCU',
          pass: f.wcuPerArticle <= 50,
        },
        {
          figure: 'largest record / largest derived item',
          value: `${n(f.largestRecordBytes)} B / ${n(f.largestDerivedBytes)} B`,
          target: '< 400 KB / < 1 KB',
          pass: f.largestRecordBytes < LIMITS.itemBytes && f.largestDerivedBytes < 1024,
        },
        {
          figure: 'Lambda (ingest) concurrency at 1,000/s',
          value: `${n(Math.ceil(r.handlerMs))} (${n(r.handlerMs, 1)} ms per article: core + prepareRecord ${n(r.handlerMs - AWS_ROUND_TRIPS_MS, 1)} ms measured + ${AWS_ROUND_TRIPS_MS} ms AWS calls assumed)`,
        },
      ],
    });
  }
  for (const kind of ['live', 'bulk'] as const) {
    const rows: Row[] = r.runs
      .filter((x) => x.kind === kind)
      .map(({ rate, figures: f }) => {
        const check = partitionCheck(f);
        const classes = PARTITION_CLASSES.filter((c) => c !== 'ART#' && c !== 'ALIAS#')
          .map((c) => hot(f.hottestByClass[c]))
          .join('; ');
        return {
          figure: `offered ${n(rate)}/s (${f.streamShards} stream shard${f.streamShards > 1 ? 's' : ''}, table ${n(f.tableWcu)} WCU/s)`,
          value: `hottest ${hot(f.hottest)}, read ${f.hottestRead.pk} ${n(f.hottestRead.rcu)} RCU/s | ${classes}`,
          target: '<= 1,000 WCU/s, 3,000 RCU/s a partition',
          pass: !check.binds,
        };
      });
    sections.push({
      title: `Capacity model: ${kind === 'live' ? 'live feed (every article dated today: one month)' : 'bulk load (dates over five years)'}, hottest partition per offered rate`,
      note: `${WINDOW_S} s of arrivals per rate; count consumer batches of ${n(CONSUMER.batchSize)} records or ${CONSUMER.windowS} s per stream shard, one GetItem + UpdateItem per distinct catalogue item a batch; MONTH: each shard's container puts each month once (cold containers, the worst case; then none); stream shards = partitions the table's WCU/s needs; classes: DATE#, ENT#, TERM#, ENTCAT#, MONTH`,
      rows,
    });
  }
  if (live1000 && bulk1000) {
    const raised = tableCeiling(bulk1000, LIMITS.tableWcuRaised, 'table quota raised to');
    const bulkDefault = tableCeiling(bulk1000, LIMITS.tableWcuDefault, 'default table quota');
    const liveDefault = tableCeiling(live1000, LIMITS.tableWcuDefault, 'default table quota');
    const liveNew = tableCeiling(live1000, LIMITS.newTableWarmWcu, 'new table warm throughput');
    const worst = Math.min(...r.runs.map((x) => partitionCheck(x.figures).scaledCeiling));
    const binding = r.runs.filter((x) => partitionCheck(x.figures).binds).map((x) => `${x.kind} ${x.rate}/s`);
    const before = r.before.hottestByClass['ENTCAT#'];
    const after = r.runs.find((x) => x.kind === 'live' && x.rate === 100)?.figures.hottestByClass['ENTCAT#'];
    sections.push({
      title: 'Capacity model: ceilings',
      note: 'table ceilings = quota / WCU per article (at 1,000/s); partition ceilings scale the hottest partition linearly from each offered rate',
      rows: [
        {
          figure: 'bulk load, quota raised to 100,000 WCU/s',
          value: `${n(raised.articlesPerSecond)}/s (default quota ${n(bulkDefault.articlesPerSecond)}/s)`,
          target: '>= 1,000/s',
          pass: raised.articlesPerSecond >= 1_000,
        },
        {
          figure: 'live feed, default quota (warmed)',
          value: `${n(liveDefault.articlesPerSecond)}/s (a new table not pre-warmed: ${n(liveNew.articlesPerSecond)}/s)`,
          target: '>= 200/s',
          pass: liveDefault.articlesPerSecond >= 200,
        },
        {
          figure: 'partition or item limit binding, offered 10/s to 1,000/s',
          value: binding.length
            ? `binds at ${binding.join(', ')}`
            : `none; lowest scaled partition ceiling ${n(worst)}/s`,
          target: 'none below 1,000/s',
          pass: binding.length === 0 && worst >= 1_000,
        },
        {
          figure: 'catalogue at 100/s live: one ENTCAT#<type> partition (before) vs letter shards (now)',
          value: `${hot(before)} -> ceiling ${n((100 * LIMITS.partitionWcu) / Math.max(1e-9, before?.wcu ?? 0))}/s  vs  ${hot(after)} -> ceiling ${n((100 * LIMITS.partitionWcu) / Math.max(1e-9, after?.wcu ?? 0))}/s`,
        },
      ],
    });
  }
  return sections;
};
