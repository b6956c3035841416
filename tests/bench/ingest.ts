import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { articleIdForKey } from '../../functions/core/article';
import { normaliseArticle } from '../../functions/core/index';
import { makeIngestHandler } from '../../functions/ingest/ingest';
import { makeObservability } from '../../functions/shared/observability';
import {
  type ArticleWriter,
  makeArticleWriter,
  type WriteResult,
} from '../../functions/store/article-writer';
import { ensureTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { installFakeTable } from '../support/fake-table';
import { installFakeBucket } from '../support/s3-objects';
import { lambdaContext, notification, sqsEvent } from '../support/sqs-events';
import { itemSize, writeUnits } from './ingest-sizes';
import { median, percentile, round } from './stats';

/**
 * Ingest bench over the corpus (read where it lies, never copied) plus the seeds.
 *
 * Phase 1, capacity, against DynamoDB Local: items written and write units per article as Local reports them
 * (ReturnConsumedCapacity TOTAL) and as DynamoDB would bill them (modelled from item sizes, see ./ingest-sizes.ts),
 * then the same for an unchanged re-upload of every article (target: no index entry rewritten, <= 2 WCU).
 *
 * Phase 2, time, with DynamoDB Local stopped (its JVM would otherwise compete for the CPU): the handler with S3 and
 * DynamoDB answered in memory (aws-sdk-client-mock); the time inside DynamoDB sends is taken out (and reported
 * with S3's taken out as well). Compared with the core alone on the same bytes, alternating per article. Handler time covers event parsing, the core, entry planning, gzip, the writer's
 * planning, logging (silenced) and metrics. Target: ratio <= 1.2. Five rounds after a warm-up; the median is reported.
 */
const listTexts = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listTexts(path);
      return name.endsWith('.txt') && name !== 'README.TXT' ? [path] : [];
    });

const summary = (values: number[]) => ({
  mean: round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)),
  p50: round(median(values)),
  p95: round(percentile(values, 95)),
  max: round(values.length ? Math.max(...values) : Number.NaN),
});

interface Input {
  key: string;
  bytes: Uint8Array;
}

const capacityPhase = async (inputs: Input[]) => {
  const dynamo = await startDynamoDbLocal({ dataDir: null });
  try {
    const tableName = 'bench-ingest';
    await ensureTable(dynamo.client, tableName);
    const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const s3Mock = mockClient(s3);
    const bucket = installFakeBucket(s3Mock);
    const writer = makeArticleWriter({ client: dynamo.client, tableName });
    let last: WriteResult | null = null;
    const store: ArticleWriter = {
      write: async (request) => {
        last = await writer.write(request);
        return last;
      },
    };
    const handler = makeIngestHandler({ s3, store, observability: makeObservability('bench') });
    let sequencer = 0x1000;
    const run = async (key: string): Promise<WriteResult> => {
      last = null;
      const event = sqsEvent(notification({ key, sequencer: (sequencer++).toString(16), bucket: 'bench' }));
      const response = await handler(event, lambdaContext());
      if (response.batchItemFailures.length > 0 || !last) throw new Error(`bench: ${key} was not applied`);
      return last;
    };
    const first: Array<{ key: string; result: WriteResult }> = [];
    for (const { key, bytes } of inputs) {
      bucket.set(key, bytes);
      first.push({ key, result: await run(key) });
    }
    const again: WriteResult[] = [];
    for (const { key } of inputs) again.push(await run(key));

    // Model what DynamoDB bills for each first ingest from the stored item sizes.
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const sizes = new Map<string, number>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
      for (const item of page.Items ?? [])
        sizes.set(`${String(item.pk)}\u0000${String(item.sk)}`, itemSize(item));
      start = page.LastEvaluatedKey;
    } while (start);
    const modelled = first
      .filter(({ result }) => result.recorded === 'ingested')
      .map(({ key, result }) => {
        const id = articleIdForKey(key);
        const articleKey = `ART#${id}\u0000ARTICLE`;
        const ordered = result.mode === 'ordered';
        // Besides the article and the outcome, every item written (index entries, catalogue counters) is under
        // 1 KB; the outcome is too, hence `otherItems + 1` single-KB transactional writes.
        const otherItems = result.itemsWritten - 2;
        const articleBytes = sizes.get(articleKey) ?? 0;
        const units =
          writeUnits(articleBytes, true) +
          (otherItems + 1) * writeUnits(1, true) +
          // The ordered fallback adds one ConditionCheck per chunk and a standard write clearing `pending`.
          (ordered ? 2 * Math.ceil(otherItems / 99) + 1 : 0);
        return { units, articleBytes };
      });
    const ingested = first.map((f) => f.result).filter((r) => r.recorded === 'ingested');
    const unchanged = again.filter((r) => r.effect === 'unchanged');
    return {
      articles: inputs.length,
      ingested: ingested.length,
      rejected: first.filter((f) => f.result.recorded === 'rejected').length,
      writeModes: {
        transaction: ingested.filter((r) => r.mode === 'transaction').length,
        ordered: ingested.filter((r) => r.mode === 'ordered').length,
      },
      itemsWrittenPerArticle: summary(ingested.map((r) => r.itemsWritten)),
      articleItemBytes: summary(modelled.map((m) => m.articleBytes)),
      wcuPerArticleReportedByLocal: summary(ingested.map((r) => r.writeUnits)),
      wcuPerArticleModelled: summary(modelled.map((m) => m.units)),
      unchangedReupload: {
        count: unchanged.length,
        itemsWritten: summary(unchanged.map((r) => r.itemsWritten)),
        wcuReportedByLocal: summary(unchanged.map((r) => r.writeUnits)),
        wcuModelled: 'one standard PutItem of the outcome item (< 1 KB): 1',
      },
    };
  } finally {
    await dynamo.stop();
  }
};

/**
 * Times every `send` of an SDK client class (here: the stubbed one), so that time can be taken out of the
 * handler's: with the SDK mocked, a send is the stand-in for a round trip.
 */
type Clock = () => number;
const wallClock: Clock = () => performance.now();
/** Process CPU time in ms: far steadier than wall time on a machine shared with other busy processes. */
const cpuClock: Clock = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

const timeSends = (prototype: object, clock: Clock) => {
  const spent = { ms: 0 };
  const original: unknown = Reflect.get(prototype, 'send');
  if (typeof original !== 'function') throw new Error('bench: not an SDK client prototype');
  Reflect.set(prototype, 'send', async function timedSend(this: unknown, ...args: unknown[]) {
    const started = clock();
    try {
      return await original.apply(this, args);
    } finally {
      spent.ms += clock() - started;
    }
  });
  return { spent, restore: () => Reflect.set(prototype, 'send', original) };
};

const timePhase = async (inputs: Input[], clock: Clock, rounds = 5) => {
  const local = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
  const s3 = new S3Client(local);
  const dynamo = new DynamoDBClient(local);
  const s3Mock = mockClient(S3Client);
  const bucket = installFakeBucket(s3Mock);
  const ddbMock = mockClient(DynamoDBDocumentClient);
  const s3Sends = timeSends(S3Client.prototype, clock);
  for (const { key, bytes } of inputs) bucket.set(key, bytes);
  // The core as the handler runs it, timed too: it shows how much of the gap is the core itself running slower
  // amid the handler's allocations (caches, GC) rather than the handler's own work.
  const inside = { ms: 0 };
  const handler = makeIngestHandler({
    s3,
    store: makeArticleWriter({ client: dynamo, tableName: 'bench' }),
    observability: makeObservability('bench'),
    normalise: (bytes, key, source) => {
      const started = clock();
      try {
        return normaliseArticle(bytes, key, source);
      } finally {
        inside.ms += clock() - started;
      }
    },
  });
  const results: Array<{
    coreMs: number;
    handlerMs: number;
    s3Ms: number;
    insideMs: number;
    perArticle: number[];
  }> = [];
  let sequencer = 0x1000;
  for (let r = 0; r < rounds + 1; r++) {
    // A fresh in-memory table each round, so every article is a full first ingest, never "unchanged".
    ddbMock.reset();
    installFakeTable(ddbMock);
    // After the reset: aws-sdk-client-mock's reset() installs a new stub over any wrapper.
    const dynamoSends = timeSends(DynamoDBDocumentClient.prototype, clock);
    let coreMs = 0;
    let handlerMs = 0;
    let s3Ms = 0;
    const insideBefore = inside.ms;
    const perArticle: number[] = [];
    for (const { key, bytes } of inputs) {
      const coreStarted = clock();
      normaliseArticle(bytes, key, { bucket: 'bench', size: bytes.byteLength });
      const core = clock() - coreStarted;
      const event = sqsEvent(notification({ key, sequencer: (sequencer++).toString(16), bucket: 'bench' }));
      const dynamoBefore = dynamoSends.spent.ms;
      const s3Before = s3Sends.spent.ms;
      const started = clock();
      await handler(event, lambdaContext());
      const ms = clock() - started - (dynamoSends.spent.ms - dynamoBefore);
      s3Ms += s3Sends.spent.ms - s3Before;
      coreMs += core;
      handlerMs += ms;
      perArticle.push(ms / core);
    }
    dynamoSends.restore();
    // Round 0 warms the JIT.
    if (r > 0) results.push({ coreMs, handlerMs, s3Ms, insideMs: inside.ms - insideBefore, perArticle });
  }
  s3Sends.restore();
  ddbMock.restore();
  s3Mock.restore();
  const byRatio = [...results].sort((a, b) => a.handlerMs / a.coreMs - b.handlerMs / b.coreMs);
  const mid = byRatio[Math.floor(byRatio.length / 2)];
  if (!mid) throw new Error('bench: no timing round');
  return {
    rounds: results.map((x) => round(x.handlerMs / x.coreMs)),
    coreMsPerArticle: round(mid.coreMs / inputs.length, 3),
    handlerMsPerArticleExcludingDynamo: round(mid.handlerMs / inputs.length, 3),
    ratio: round(mid.handlerMs / mid.coreMs),
    /** Also without the (in-memory) S3 GetObject call. */
    ratioExcludingS3Too: round((mid.handlerMs - mid.s3Ms) / mid.coreMs),
    // Per-article CPU readings are coarse (a millisecond or so); the per-round sums above are what count.
    perArticleRatio: summary(mid.perArticle),
    coreMsPerArticleInsideHandler: round(mid.insideMs / inputs.length, 3),
    /** The handler's own work per article: handler time minus the core's time inside it. */
    handlerOwnMsPerArticle: round((mid.handlerMs - mid.insideMs) / inputs.length, 3),
    target: 'ratio <= 1.2',
  };
};

export async function benchIngest(opts: { corpusDir: string | null; seedsDir: string }): Promise<object> {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const root = join(opts.seedsDir, '..');
  const files = [...listTexts(opts.seedsDir), ...(opts.corpusDir ? listTexts(opts.corpusDir) : [])];
  const inputs = files.map((path) => ({
    key: relative(
      opts.corpusDir && !path.startsWith(opts.seedsDir) ? join(opts.corpusDir, '..') : root,
      path,
    ),
    bytes: new Uint8Array(readFileSync(path)),
  }));
  const capacity = await capacityPhase(inputs);
  return {
    capacity,
    time: { cpu: await timePhase(inputs, cpuClock), wall: await timePhase(inputs, wallClock) },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const corpus = process.argv[2] ?? '/work/shared/corpus/bbc';
  benchIngest({
    corpusDir: corpus === 'none' ? null : corpus,
    seedsDir: new URL('../../seeds', import.meta.url).pathname,
  })
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
