import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { articleIdForKey } from '../../functions/core/article';
import { makeIngestHandler } from '../../functions/ingest/ingest';
import { makeObservability } from '../../functions/shared/observability';
import { type DeriveResult, makeDeriveWriter } from '../../functions/store/derive-writer';
import { decodeKeyList } from '../../functions/store/key-lists';
import { parseItemKey } from '../../functions/store/keys';
import { makeRecordWriter, type RecordWriter, type WriteResult } from '../../functions/store/record-writer';
import { ensureTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { installFakeBucket } from '../support/s3-objects';
import { lambdaContext, notification, sqsEvent } from '../support/sqs-events';
import { listTexts } from './corpus-files';
import { itemSize, writeUnits } from './ingest-sizes';
import { cpuClock, eTagsOf, timePhase, wallClock } from './ingest-time';
import { median, percentile, round } from './stats';

/**
 * Ingest bench over the corpus (read where it lies, never copied) plus the seeds.
 *
 * Phase 1, capacity, against DynamoDB Local: items written and write units per article as Local reports them
 * (ReturnConsumedCapacity TOTAL) and as DynamoDB would bill them (modelled from item sizes, see ./ingest-sizes.ts),
 * then the same for an unchanged re-upload of every article (target: no derived item rewritten: the record is put
 * again under the newer sequencer, and the derive consumer only stamps APPLIED). The derive writer is called per
 * article after its ingest (a stream batch of one), as the consumer would, so its units are per article.
 *
 * Phase 2, time, with DynamoDB Local stopped (its JVM would otherwise compete for the CPU): see ./ingest-time.ts
 * for what counts as a round trip and how the comparison with the core is kept fair. Handler time covers event
 * parsing, reading the S3 body, the core, gzip, the record, logging (silenced) and metrics. No target since issue 13 withdrew "<= 1.2". Seven rounds after a warm-up; the median round is reported.
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
    const writer = makeRecordWriter({ client: dynamo.client, tableName });
    // The derive consumer's writer, called per article (a stream batch of one) so its units are per article.
    const deriver = makeDeriveWriter({ client: dynamo.client, tableName });
    let last: WriteResult | null = null;
    const store: RecordWriter = {
      ...writer,
      write: async (request) => {
        last = await writer.write(request);
        return last;
      },
    };
    const handler = makeIngestHandler({ s3, store, observability: makeObservability('bench') });
    let sequencer = 0x1000;
    const run = async (key: string) => {
      last = null;
      const event = sqsEvent(
        notification({
          key,
          sequencer: (sequencer++).toString(16),
          bucket: 'bench',
          eTag: eTags.get(key) ?? '',
        }),
      );
      const response = await handler(event, lambdaContext());
      const result: WriteResult | null = last;
      if (response.batchItemFailures.length > 0 || !result) throw new Error(`bench: ${key} was not applied`);
      const derived = await deriver.apply([articleIdForKey(key)]);
      return { result, derived };
    };
    const first: Array<{ key: string; result: WriteResult; derived: DeriveResult }> = [];
    for (const { key, bytes } of inputs) bucket.set(key, bytes);
    const eTags = await eTagsOf(
      s3,
      'bench',
      inputs.map((i) => i.key),
    );
    for (const { key } of inputs) first.push({ key, ...(await run(key)) });
    const again: Array<{ result: WriteResult; derived: DeriveResult }> = [];
    for (const { key } of inputs) again.push(await run(key));

    // Model what DynamoDB bills for each first ingest from the stored item sizes: the record, APPLIED twice
    // (widened, then stamped), and every item APPLIED lists.
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const stored = new Map<string, Record<string, unknown>>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) stored.set(`${String(item.pk)}\u0000${String(item.sk)}`, item);
      start = page.LastEvaluatedKey;
    } while (start);
    const sizeOf = (pk: string, sk: string) => {
      const item = stored.get(`${pk}\u0000${sk}`);
      return item ? itemSize(item) : 0;
    };
    const ingestedFirst = first.filter(({ result }) => result.recorded === 'ingested');
    const modelled = ingestedFirst.map(({ key }) => {
      const id = articleIdForKey(key);
      const recordBytes = sizeOf(`ART#${id}`, 'RECORD');
      const applied = stored.get(`ART#${id}\u0000APPLIED`);
      const keyList = decodeKeyList(applied?.keys instanceof Uint8Array ? applied.keys : undefined);
      const derivedUnits = keyList.reduce((sum, k) => {
        const { pk, sk } = parseItemKey(k);
        return sum + writeUnits(sizeOf(pk, sk), false);
      }, 0);
      const appliedUnits = writeUnits(applied ? itemSize(applied) : 0, false) * (keyList.length > 0 ? 2 : 1);
      return {
        recordBytes,
        items: keyList.length,
        recordUnits: writeUnits(recordBytes, false),
        units: writeUnits(recordBytes, false) + appliedUnits + derivedUnits,
      };
    });
    const unchanged = again.filter((r) => r.result.recorded === 'ingested');
    return {
      articles: inputs.length,
      ingested: ingestedFirst.length,
      rejected: first.filter((f) => f.result.recorded === 'rejected').length,
      recordBytes: summary(modelled.map((m) => m.recordBytes)),
      recordWcuModelled: summary(modelled.map((m) => m.recordUnits)),
      recordWcuReportedByLocal: summary(ingestedFirst.map((f) => f.result.writeUnits)),
      itemsDerivedPerArticle: summary(modelled.map((m) => m.items)),
      deriveWcuReportedByLocal: summary(ingestedFirst.map((f) => f.derived.writeUnits)),
      wcuPerArticleModelled: summary(modelled.map((m) => m.units)),
      unchangedReupload: {
        count: unchanged.length,
        recordWcuReportedByLocal: summary(unchanged.map((r) => r.result.writeUnits)),
        derivedItemsRewritten: summary(unchanged.map((r) => r.derived.itemsPut + r.derived.itemsDeleted)),
        stampedOnly: unchanged.filter((r) => r.derived.stamped === 1 && r.derived.derived === 0).length,
        deriveWcuReportedByLocal: summary(unchanged.map((r) => r.derived.writeUnits)),
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
