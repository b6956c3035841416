import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isRejection, PARSER_VERSION } from '../../functions/core/article';
import { normaliseArticle } from '../../functions/core/index';
import { makeCountHandler } from '../../functions/count/count';
import { makeDeriveHandler } from '../../functions/derive/derive';
import { eachLimited } from '../../functions/shared/each-limited';
import { makeCountWriter } from '../../functions/store/count-writer';
import { makeDeriveWriter } from '../../functions/store/derive-writer';
import { makeRecordWriter } from '../../functions/store/record-writer';
import { ensureTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { streamHandlers } from '../../infra/local/handler-types';
import { startStreamConsumers } from '../../infra/local/stream-consumers';
import type { StreamHandler } from '../../infra/local/stream-poller';
import { quietObservability } from '../support/quiet-observability';
import { listTexts } from './corpus-files';
import { fmt, type Section } from './report';
import { median, round } from './stats';

/**
 * Where "record -> indexedAt" goes on the local stack, in process against DynamoDB Local with the local stream
 * poller and the real consumers: corpus articles written one at a time by the record writer, each timed
 *   put       the record writer's write (check-free: one conditional PutItem),
 *   delivery  from the put's return until the stream poller hands a batch naming the record to the consumers,
 *   derive    the derive consumer's time on that batch (reads, APPLIED twice, derived items, month),
 *   count     the count consumer's time on the batches of the derived items' stream records.
 */
export async function benchStreamLag(opts: {
  corpusDir: string | null;
  seedsDir: string;
  count?: number;
  /** Write every record at once (4 in flight, as the local ingest's concurrency 2 could at best), then catch up. */
  burst?: boolean;
  /** Run the two consumers concurrently on each batch instead of one after the other. */
  parallelConsumers?: boolean;
}) {
  const count = opts.count ?? 10;
  const files = (opts.corpusDir ? listTexts(opts.corpusDir) : listTexts(opts.seedsDir)).slice(0, count);
  const dynamo = await startDynamoDbLocal({ dataDir: null, startTimeoutMs: 180_000 });
  const tableName = 'bench-stream-lag';
  try {
    await ensureTable(dynamo.client, tableName);
    const deps = { client: dynamo.client, tableName };
    const derive = makeDeriveHandler({ writer: makeDeriveWriter(deps), observability: quietObservability() });
    const countHandler = makeCountHandler({
      writer: makeCountWriter(deps),
      observability: quietObservability(),
    });
    const seen = new Map<string, { deliveredAt: number; deriveMs: number }>();
    let countMs = 0;
    const derivedTotal = { ms: 0 };
    const both = {
      derive: async (event: unknown) => {
        const started = performance.now();
        await derive(event);
        const ms = performance.now() - started;
        derivedTotal.ms += ms;
        const records = (
          event as { Records: Array<{ dynamodb: { Keys: { pk: { S: string }; sk: { S: string } } } }> }
        ).Records;
        for (const r of records)
          if (r.dynamodb.Keys.sk.S === 'RECORD')
            seen.set(r.dynamodb.Keys.pk.S, { deliveredAt: started, deriveMs: ms });
      },
      count: async (event: unknown) => {
        const started = performance.now();
        const out = await countHandler(event);
        countMs += performance.now() - started;
        return out;
      },
    };
    // As the local stack runs them (derive, then count, on each batch), or both at once on each batch (as AWS runs
    // two mappings side by side): what running them concurrently locally would change.
    const timed: StreamHandler = opts.parallelConsumers
      ? async (event) => (await Promise.all([both.derive(event), both.count(event)]))[1]
      : streamHandlers(both);
    const consumers = await startStreamConsumers({
      dynamodb: dynamo.client,
      endpoint: dynamo.endpoint,
      tableName,
      handler: timed,
    });
    const writer = makeRecordWriter(deps);
    const rows: Array<{ putMs: number; deliveryMs: number; deriveMs: number }> = [];
    let sequencer = 0x100;
    let deriveMs = 0;
    let burstMs = 0;
    try {
      const inputs = files.flatMap((path) => {
        const key = relative(opts.corpusDir ?? opts.seedsDir, path);
        const article = normaliseArticle(readFileSync(path), key);
        return isRejection(article) ? [] : [{ key, article }];
      });
      const write = ({ key, article }: (typeof inputs)[number]) =>
        writer.write({
          key,
          sequencer: (sequencer++).toString(16),
          parserVersion: PARSER_VERSION,
          change: { kind: 'ingested', article },
        });
      if (opts.burst) {
        const started = performance.now();
        await eachLimited(inputs, 4, async (input) => {
          await write(input);
        });
        await consumers.caughtUp(600_000);
        burstMs = performance.now() - started;
        for (const { article } of inputs) {
          const hit = seen.get(`ART#${article.id}`);
          if (!hit) throw new Error(`stream lag: ${article.id} never reached the derive consumer`);
        }
      } else
        for (const input of inputs) {
          const started = performance.now();
          await write(input);
          const put = performance.now();
          await consumers.caughtUp(60_000);
          const hit = seen.get(`ART#${input.article.id}`);
          if (!hit) throw new Error(`stream lag: ${input.key} never reached the derive consumer`);
          rows.push({ putMs: put - started, deliveryMs: hit.deliveredAt - put, deriveMs: hit.deriveMs });
        }
      deriveMs = derivedTotal.ms;
    } finally {
      await consumers.stop();
    }
    if (opts.burst)
      return {
        articles: files.length,
        burst: true,
        allIndexedMs: round(burstMs, 0),
        deriveMsTotal: round(deriveMs, 0),
        countMsTotal: round(countMs, 0),
      };
    return {
      articles: rows.length,
      putMs: round(median(rows.map((r) => r.putMs)), 0),
      deliveryMs: round(median(rows.map((r) => r.deliveryMs)), 0),
      deriveMs: round(median(rows.map((r) => r.deriveMs)), 0),
      countMsPerArticle: round(countMs / Math.max(1, rows.length), 0),
    };
  } finally {
    await dynamo.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const corpus = process.argv[2] ?? '/work/shared/corpus/bbc';
  benchStreamLag({
    corpusDir: corpus === 'none' ? null : corpus,
    seedsDir: new URL('../../seeds', import.meta.url).pathname,
    ...(process.argv[3] ? { count: Number(process.argv[3]) } : {}),
    burst: process.argv[4] === 'burst',
    parallelConsumers: process.argv[5] === 'parallel',
  })
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}

type One = {
  articles: number;
  putMs?: number;
  deliveryMs?: number;
  deriveMs?: number;
  countMsPerArticle?: number;
};
type Burst = { articles: number; allIndexedMs?: number; deriveMsTotal?: number; countMsTotal?: number };

export const streamLagSection = (one: One, burst: Burst): Section => ({
  title: 'Where indexing time goes locally (in process: record writer, local stream poller, real consumers)',
  note: 'DynamoDB Local, no S3 or queue; medians one at a time, then every corpus record written at once (4 in flight)',
  rows: [
    {
      figure: `one at a time (${one.articles}): put / stream delivery / derive / count per article`,
      value: `${one.putMs} / ${one.deliveryMs} / ${one.deriveMs} / ${one.countMsPerArticle} ms`,
    },
    {
      figure: `all ${burst.articles} at once: until all indexed; derive / count consumer time`,
      value: `${fmt((burst.allIndexedMs ?? 0) / 1000, 's', 1)}; ${fmt((burst.deriveMsTotal ?? 0) / 1000, 's', 1)} / ${fmt((burst.countMsTotal ?? 0) / 1000, 's', 1)}`,
    },
  ],
});
