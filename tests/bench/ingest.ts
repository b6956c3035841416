import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { articleIdForKey } from '../../functions/core/article';
import { makeIngestHandler } from '../../functions/ingest/ingest';
import { makeObservability } from '../../functions/shared/observability';
import {
  type ArticleWriter,
  makeArticleWriter,
  type WriteResult,
} from '../../functions/store/article-writer';
import { ensureTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { installFakeBucket } from '../support/s3-objects';
import { lambdaContext, notification, sqsEvent } from '../support/sqs-events';
import { listTexts } from './corpus-files';
import { itemSize, writeUnits } from './ingest-sizes';
import { cpuClock, timePhase, wallClock } from './ingest-time';
import { median, percentile, round } from './stats';

/**
 * Ingest bench over the corpus (read where it lies, never copied) plus the seeds.
 *
 * Phase 1, capacity, against DynamoDB Local: items written and write units per article as Local reports them
 * (ReturnConsumedCapacity TOTAL) and as DynamoDB would bill them (modelled from item sizes, see ./ingest-sizes.ts),
 * then the same for an unchanged re-upload of every article (target: no index entry rewritten, <= 2 WCU).
 *
 * Phase 2, time, with DynamoDB Local stopped (its JVM would otherwise compete for the CPU): see ./ingest-time.ts
 * for what counts as a round trip and how the comparison with the core is kept fair. Handler time covers event
 * parsing, reading the S3 body, the core, entry planning, gzip, the writer's planning, logging (silenced) and
 * metrics. No target since issue 13 withdrew "<= 1.2". Seven rounds after a warm-up; the median round is reported.
 */

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
        const outcomeBytes = sizes.get(`ART#${id}\u0000UPLOAD`) ?? 0;
        // No transaction: the outcome (put, then its `pending` cleared), the article, and every other item written
        // (index entries, each under 1 KB) bill standard writes.
        const otherItems = result.itemsWritten - 3;
        const articleBytes = sizes.get(articleKey) ?? 0;
        const units =
          writeUnits(articleBytes, false) +
          2 * writeUnits(outcomeBytes, false) +
          otherItems * writeUnits(1, false);
        return { units, articleBytes };
      });
    const ingested = first.map((f) => f.result).filter((r) => r.recorded === 'ingested');
    const unchanged = again.filter((r) => r.effect === 'unchanged');
    return {
      articles: inputs.length,
      ingested: ingested.length,
      rejected: first.filter((f) => f.result.recorded === 'rejected').length,
      writeModes: {
        staged: ingested.filter((r) => r.mode === 'staged').length,
        single: ingested.filter((r) => r.mode === 'single').length,
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
    time: {
      cpu: await timePhase(inputs, cpuClock),
      wall: await timePhase(inputs, wallClock),
      /** Ten records per invocation, the deployed SQS batch size: per-invocation work shared by ten articles. */
      cpuBatchOf10: await timePhase(inputs, cpuClock, 7, 10),
    },
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
