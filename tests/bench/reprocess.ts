import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { normaliseArticle } from '../../functions/core/normalise';
import { makeIngestHandler } from '../../functions/ingest/ingest';
import { makeObservability } from '../../functions/shared/observability';
import { makeRecordWriter } from '../../functions/store/record-writer';
import { ensureTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { installFakeBucket } from '../support/s3-objects';
import { lambdaContext, notification, sqsEvent, sqsRecord } from '../support/sqs-events';
import { listTexts } from './corpus-files';
import { itemSize } from './ingest-sizes';
import { eTagsOf } from './ingest-time';
import { fmt, type Section } from './report';
import { round } from './stats';

/**
 * Reprocess bench, against DynamoDB Local with the bucket in memory (the handler and writer are the real ones):
 * 1. first ingest of the corpus (S3 notifications, ten per invocation as the queue delivers them);
 * 2. a reprocess of the same corpus with nothing changed: target no write at all, only the record writer's one
 *    consistent GetItem of the record per object (checkReprocess); read units are those DynamoDB Local reports,
 *    and modelled from the record's size (billed by the whole item, by the started 4 KB);
 * 3. a reprocess after a parser-version change (the same core, stamping another version): every record is
 *    re-written (one PutItem each), and its time is put beside the first ingest's. The derive consumer's
 *    re-derivation that follows is off the ingest path and not timed here (see the ingest section for its units).
 */
const BATCH = 10;
const BUCKET = 'bench';
const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
]);

export interface ReprocessBench {
  section: Section;
  figures: Record<string, unknown>;
}

const batches = (records: SQSRecord[]) =>
  Array.from({ length: Math.ceil(records.length / BATCH) }, (_, i) =>
    records.slice(i * BATCH, (i + 1) * BATCH),
  );

export async function benchReprocess(opts: {
  corpusDir: string | null;
  seedsDir: string;
}): Promise<ReprocessBench> {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const files = [...listTexts(opts.seedsDir), ...(opts.corpusDir ? listTexts(opts.corpusDir) : [])];
  const base = join(opts.corpusDir ?? opts.seedsDir, '..');
  // A generous start timeout: on a loaded machine Java takes more than the default 30 s to listen.
  const dynamo = await startDynamoDbLocal({ dataDir: null, startTimeoutMs: 180_000 });
  try {
    const tableName = 'bench-reprocess';
    await ensureTable(dynamo.client, tableName);
    // Counts what the writer sends: reads (and the units Local reports for them) and writes of any kind.
    const tally = { writes: 0, reads: 0, readUnits: 0 };
    dynamo.client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { ReturnConsumedCapacity?: string };
        const read = context.commandName === 'GetItemCommand' || context.commandName === 'QueryCommand';
        if (read) input.ReturnConsumedCapacity = 'TOTAL';
        const out = await next(args);
        if (WRITE_COMMANDS.has(context.commandName ?? '')) tally.writes += 1;
        if (read) {
          tally.reads += 1;
          const consumed = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
          tally.readUnits += consumed?.CapacityUnits ?? 0;
        }
        return out;
      },
      { step: 'initialize', name: 'benchTally' },
    );
    const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const s3Mock = mockClient(s3);
    const bucket = installFakeBucket(s3Mock);
    const store = makeRecordWriter({ client: dynamo.client, tableName });
    const observability = makeObservability('bench');
    const current = makeIngestHandler({ s3, store, observability });
    const nextVersion = 'bench-next';
    const changed = makeIngestHandler({
      s3,
      store,
      observability,
      parserVersion: nextVersion,
      normalise: (bytes, key, source) => {
        const result = normaliseArticle(bytes, key, source);
        return 'parserVersion' in result ? { ...result, parserVersion: nextVersion } : result;
      },
    });
    const keys = files.map((path) => {
      const key = relative(base, path);
      bucket.set(key, new Uint8Array(readFileSync(path)));
      return key;
    });
    const reprocessRecords = () =>
      keys.map((key) =>
        sqsRecord({
          reprocess: { bucket: BUCKET, key, eTag: `"${eTags.get(key)}"`, size: bucket.get(key)?.byteLength },
        }),
      );
    const phase = async (handler: typeof current, records: SQSRecord[]) => {
      const before = { ...tally, gets: s3Mock.commandCalls(GetObjectCommand).length };
      const started = performance.now();
      for (const batch of batches(records)) {
        const response = await handler(sqsEvent(...batch), lambdaContext());
        if (response.batchItemFailures.length > 0) throw new Error('bench: a record failed');
      }
      return {
        ms: round(performance.now() - started, 0),
        writes: tally.writes - before.writes,
        reads: tally.reads - before.reads,
        readUnits: round(tally.readUnits - before.readUnits, 1),
        getObjects: s3Mock.commandCalls(GetObjectCommand).length - before.gets,
      };
    };

    const eTags = await eTagsOf(s3, BUCKET, keys);
    // The core's first call loads its NLP libraries; that is a cold start, not ingest time.
    const warmUp = keys[0];
    if (warmUp) normaliseArticle(bucket.get(warmUp) ?? new Uint8Array(), warmUp);
    let sequencer = 0x1000;
    const first = await phase(
      current,
      keys.map((key) =>
        notification({
          key,
          sequencer: (sequencer++).toString(16),
          bucket: BUCKET,
          eTag: eTags.get(key) ?? '',
        }),
      ),
    );

    if (first.writes !== keys.length)
      throw new Error(`bench: first ingest wrote ${first.writes} records for ${keys.length} objects`);
    // Modelled read units of the check: one consistent GetItem of the record, billed by its whole size (a
    // projection does not lower it) by the started 4 KB.
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const partitionBytes = new Map<string, number>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) {
        const pk = String(item.pk);
        if (pk.startsWith('ART#') && item.sk === 'RECORD')
          partitionBytes.set(pk, (partitionBytes.get(pk) ?? 0) + itemSize(item));
      }
      start = page.LastEvaluatedKey;
    } while (start);
    const modelledRcu = [...partitionBytes.values()].reduce(
      (sum, b) => sum + Math.max(1, Math.ceil(b / 4096)),
      0,
    );

    const unchanged = await phase(current, reprocessRecords());
    const afterChange = await phase(changed, reprocessRecords());
    const n = keys.length;
    const figures = {
      objects: n,
      first,
      unchanged,
      afterChange,
      modelledRcuPerObject: round(modelledRcu / n),
    };
    const section: Section = {
      title: 'Reprocess of the corpus (DynamoDB Local, bucket in memory, ten messages per invocation)',
      note: `${n} objects; first ingest ${fmt(first.ms, 'ms')}`,
      rows: [
        {
          figure: 'nothing changed: writes',
          value: String(unchanged.writes),
          target: '0 (reprocess bench)',
          pass: unchanged.writes === 0,
        },
        {
          figure: 'nothing changed: reads (GetItem) / GetObjects per object',
          value: `${round(unchanged.reads / n)} / ${round(unchanged.getObjects / n)}`,
          target: '1 / 0 (reprocess bench)',
          pass: unchanged.reads === n && unchanged.getObjects === 0,
        },
        {
          figure: 'nothing changed: read units per object (Local / modelled)',
          value: `${round(unchanged.readUnits / n)} / ${figures.modelledRcuPerObject}`,
        },
        { figure: 'nothing changed: time', value: fmt(unchanged.ms, 'ms') },
        {
          figure: 'parser changed: time / first ingest time',
          value: `${fmt(afterChange.ms, 'ms')} / ${fmt(first.ms, 'ms')} = ${round(afterChange.ms / Math.max(1, first.ms))}`,
        },
        {
          figure: 'parser changed: writes (first ingest writes)',
          value: `${afterChange.writes} (${first.writes})`,
        },
      ],
    };
    return { section, figures };
  } finally {
    await dynamo.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const corpus = process.argv[2] ?? '/work/shared/corpus/bbc';
  benchReprocess({
    corpusDir: corpus === 'none' ? null : corpus,
    seedsDir: new URL('../../seeds', import.meta.url).pathname,
  })
    .then(({ section, figures }) => console.log(JSON.stringify({ section, figures }, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
