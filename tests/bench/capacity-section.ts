import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { type Article, articleIdForKey, isRejection } from '../../functions/core/article';
import { normaliseArticle } from '../../functions/core/index';
import { planWrite, prepareArticle } from '../../functions/store/write-plan';
import { type ArticleWrites, ceilingOf, LIMITS, type WindowFigures, windowFigures } from './capacity-model';
import { listTexts } from './corpus-files';
import type { Section } from './report';

/**
 * `npm run bench` section "capacity": the model of ./capacity-model.ts fed with the write plans the real writer
 * makes (prepareArticle + planWrite, as article-writer.ts calls them) for every article of the corpus, re-dated
 * for two workloads and given a fresh key each time it is reused, so every article is a new key:
 * - live feed: every article published today;
 * - bulk load: publication dates spread evenly over five years.
 * Handler time per article = the measured core + planning time here, plus the AWS round trips it waits on,
 * assumed (S3 GetObject 15 ms, the state Query 5 ms, then four writes one after another, 5 ms each: the outcome,
 * the article, the entries' INSERT batches in parallel, the outcome again; not measurable locally).
 */
const AWS_ROUND_TRIPS_MS = 40;
/** The catalogue consumer's stream batching (infra/constructs/catalogue-consumer.ts). */
export const CONSUMER = { batchSize: 1_000, seconds: 5 };
const RATES = [100, 1_000] as const;
const BULK_DAYS = 5 * 365;

const at = '2026-12-04T00:00:00.000Z';
const today = at.slice(0, 10);
const dayOf = (i: number) => new Date(Date.parse('2021-12-05') + ((i * 7919) % BULK_DAYS) * 86_400_000);

const writesFor = (article: Article, key: string): ArticleWrites => {
  const prepared = prepareArticle(article);
  const id = article.id;
  const plan = planWrite(
    id,
    { key, sequencer: '0'.repeat(31).concat('1'), change: { kind: 'ingested', article } },
    { article: null, upload: null },
    at,
    prepared,
  );
  if (plan.kind !== 'write' || !plan.article) throw new Error(`no write planned for ${key}`);
  // The writer's calls (functions/store/article-writer.ts), none in a transaction: the outcome with `pending`,
  // the article, every entry, then the outcome again with `pending` cleared (an update bills the item's size).
  const { pending: _, ...cleared } = plan.upload;
  const rev = plan.upload.rev;
  const items = [plan.upload, plan.article, ...plan.puts.map((e) => ({ ...e, rev })), cleared] as Array<
    Record<string, unknown>
  >;
  return {
    id,
    writes: items.map((item) => ({ pk: String(item.pk), sk: String(item.sk), item, transactional: false })),
  };
};

const workload = (articles: Article[], rate: number, kind: 'live' | 'bulk'): WindowFigures => {
  const window: ArticleWrites[] = [];
  for (let i = 0; i < rate * CONSUMER.seconds; i++) {
    const base = articles[i % articles.length];
    if (!base) break;
    const key = `capacity/${kind}/${i}.txt`;
    const date = kind === 'live' ? today : dayOf(i).toISOString().slice(0, 10);
    const article: Article = { ...base, id: articleIdForKey(key), publishedDate: date };
    window.push(writesFor(article, key));
  }
  return windowFigures(window, CONSUMER);
};

export const benchCapacity = (opts: { corpusDir: string | null; seedsDir: string }) => {
  const files = [...(opts.corpusDir ? listTexts(opts.corpusDir) : []), ...listTexts(opts.seedsDir)];
  const articles: Article[] = [];
  let ms = 0;
  for (const path of files) {
    const started = performance.now();
    const result = normaliseArticle(readFileSync(path), relative(opts.corpusDir ?? opts.seedsDir, path));
    if (isRejection(result)) continue;
    prepareArticle(result);
    ms += performance.now() - started;
    articles.push(result);
  }
  const handlerMs = ms / Math.max(1, articles.length) + AWS_ROUND_TRIPS_MS;
  const runs = (['live', 'bulk'] as const).flatMap((kind) =>
    RATES.map((rate) => ({ kind, rate, figures: workload(articles, rate, kind) })),
  );
  return { articles: articles.length, handlerMs, runs };
};

const n = (x: number, digits = 0) =>
  x.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const capacitySection = (r: ReturnType<typeof benchCapacity>): Section[] =>
  r.runs.map(({ kind, rate, figures: f }) => {
    const fresh = ceilingOf(f, LIMITS.tableWcuDefault, LIMITS.newTableWarmWcu);
    const byDefault = ceilingOf(f, LIMITS.tableWcuDefault, null);
    const raised = ceilingOf(f, LIMITS.tableWcuRaised, null);
    const target = kind === 'bulk' ? 1_000 : 200;
    // The targets are about the 1,000/s runs; from the 100/s runs a ceiling is extrapolated (linearly, which
    // overstates the catalogue partitions: their updates per window grow more slowly than the rate).
    const judged = rate === 1_000;
    return {
      title: `Capacity model: ${kind === 'bulk' ? 'bulk load (dates over five years)' : 'live feed (all dated today)'} at ${n(rate)} articles/s`,
      note: `write plans of ${r.articles} corpus articles; limits: 1,000 WCU/s and 3,000 RCU/s a partition, 40,000 WCU/s a table (default quota), 4,000 WCU/s a new table, transactional writes bill double (the writer uses none); no adaptive capacity; the stream consumer also reads each article's outcome once per batch (1 RCU, its own partition)`,
      rows: [
        {
          figure: 'busiest partition',
          value: `${f.busiestPartition.pk}: ${n(f.busiestPartition.wcu)} WCU/s`,
          ...(kind === 'bulk' || rate <= 200
            ? { target: '<= 1,000 WCU/s', pass: f.busiestPartition.wcu <= LIMITS.partitionWcu }
            : {}),
        },
        {
          figure: 'most different articles writing one item, per second',
          value: `${f.mostArticlesPerItem.articles} (${f.mostArticlesPerItem.key})`,
          target: '1 (no shared item)',
          pass: f.mostArticlesPerItem.articles <= 1,
        },
        {
          figure: 'items and WCU per article',
          value: `${n(f.itemsPerArticle, 1)} writes (none transactional), ${n(f.ingestWcuPerArticle, 1)} WCU + catalogue consumer ${n(f.consumerWcuPerArticle, 2)} WCU = ${n(f.wcuPerArticle, 1)} WCU`,
          target: '<= 50 WCU',
          pass: f.wcuPerArticle <= 50,
        },
        {
          figure: 'ceiling, new table (not pre-warmed)',
          value: `${n(fresh.articlesPerSecond)}/s, set by ${fresh.limit}`,
        },
        {
          figure: 'ceiling, default quota, warmed',
          value: `${n(byDefault.articlesPerSecond)}/s, set by ${byDefault.limit}`,
        },
        {
          figure: 'ceiling, quota raised to 100,000 WCU/s',
          value: `${n(raised.articlesPerSecond)}/s, set by ${raised.limit}`,
          ...(judged
            ? {
                target: `>= ${n(target)}/s, no partition or item limit below`,
                pass: raised.articlesPerSecond >= target,
              }
            : {}),
        },
        {
          figure: 'Lambda concurrency this rate needs',
          value: `${n(Math.ceil((rate * r.handlerMs) / 1000))} (${n(r.handlerMs, 1)} ms per article: core ${n(r.handlerMs - AWS_ROUND_TRIPS_MS, 1)} ms measured + ${AWS_ROUND_TRIPS_MS} ms AWS calls assumed)`,
        },
      ],
    };
  });
