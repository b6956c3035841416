import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_ARTICLE_BYTES, PARSER_VERSION } from '../../functions/core/article';
import { normaliseArticle } from '../../functions/core/normalise';
import { eachLimited } from '../../functions/shared/each-limited';
import { makeObservability } from '../../functions/shared/observability';
import { makeS3BodyStore } from '../../functions/store/article-body';
import { makeVerifyRun, VERIFY_SIZING } from '../../functions/verify/run';
import { VERIFY_TUNING } from '../../infra/constructs/verify';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { startLocalStack } from '../../infra/local/stack';
import { listTexts } from './corpus-files';
import { fmt, type Section } from './report';

/**
 * A full verify, timed on the local stack two ways side by side (the local verifier, and the AWS run's own steps
 * run in this process on the same table), and its cost on AWS modelled from what the local run really read and
 * wrote. Model (modelAwsVerify): the run reads the whole table once with an eventually consistent parallel Scan
 * (0.5 read request units per 4 KB of item data; DynamoDB bills a Scan by the summed item sizes) paced to its share
 * of a new on-demand table's 12,000 read units a second; it writes its snapshot as files of about 1 MB per
 * partition plus one per partition per collector invocation, and reads each back once; it lists both buckets; the
 * verify function (2 GB, arm64) runs while collectors read and while partitions are judged, the judging taking as
 * long per article as the whole local run did (an overestimate); Step Functions bills a few transitions per step.
 * List prices, us-east-1.
 */
export const VERIFY_PRICES = {
  perMillionRru: 0.125,
  perThousandList: 0.005,
  perThousandPut: 0.005,
  perThousandGet: 0.0004,
  perGbSecondArm: 0.0000133334,
  perThousandTransitions: 0.025,
} as const;

export interface AwsVerifyModel {
  readUnits: number;
  seconds: number;
  segments: number;
  partitions: number;
  puts: number;
  gets: number;
  gbSeconds: number;
  transitions: number;
  cost: { reads: number; requests: number; lambda: number; stepFunctions: number; total: number };
}

/** The AWS run's reads, requests, compute and cost for `articles` articles, from per-1,000 measurements. */
export const modelAwsVerify = (
  m: {
    bytesPerThousand: number;
    snapshotBytesPerThousand: number;
    bodiesPerThousand: number;
    localRunMsPerThousand: number;
  },
  articles: number,
  readSharePercent = 10,
): AwsVerifyModel => {
  const thousands = articles / 1_000;
  const tableBytes = m.bytesPerThousand * thousands;
  const readUnits = (tableBytes / 4096) * 0.5;
  const budget = (VERIFY_SIZING.onDemandReadUnits * readSharePercent) / 100;
  const segments = Math.min(
    VERIFY_SIZING.maxSegments,
    Math.max(1, Math.ceil(budget / VERIFY_SIZING.segmentReadUnits)),
  );
  const scanSeconds = readUnits / budget;
  const partitions = Math.min(
    VERIFY_SIZING.maxPartitions,
    Math.max(1, Math.ceil(tableBytes / VERIFY_SIZING.partitionBytes)),
  );
  const countPartitions = Math.ceil(partitions / VERIFY_SIZING.articlePartitionsPerCountPartition);
  const invocationSeconds = VERIFY_TUNING.timeout.toSeconds() - VERIFY_SIZING.stopBeforeDeadlineMs / 1000;
  const invocations = segments * Math.max(1, Math.ceil(scanSeconds / segments / invocationSeconds)) + 2;
  const files =
    (m.snapshotBytesPerThousand * thousands) / VERIFY_SIZING.partitionFlushBytes +
    invocations * (partitions + countPartitions + 1);
  const puts = files + partitions + countPartitions + invocations + 1;
  const gets = files + partitions + countPartitions + invocations + m.bodiesPerThousand * thousands;
  const lists = thousands * 2 + (partitions + countPartitions) * 2;
  const judgeSeconds = (m.localRunMsPerThousand / 1000) * thousands;
  const gbSeconds = (VERIFY_TUNING.memorySize / 1024) * (segments * scanSeconds + judgeSeconds);
  const transitions = 4 * (invocations + partitions + countPartitions) + 10;
  const cost = {
    reads: (readUnits / 1e6) * VERIFY_PRICES.perMillionRru,
    requests:
      (puts / 1_000) * VERIFY_PRICES.perThousandPut +
      (gets / 1_000) * VERIFY_PRICES.perThousandGet +
      (lists / 1_000) * VERIFY_PRICES.perThousandList,
    lambda: gbSeconds * VERIFY_PRICES.perGbSecondArm,
    stepFunctions: (transitions / 1_000) * VERIFY_PRICES.perThousandTransitions,
    total: 0,
  };
  cost.total = cost.reads + cost.requests + cost.lambda + cost.stepFunctions;
  return {
    readUnits,
    seconds: scanSeconds + judgeSeconds / VERIFY_SIZING.concurrency,
    segments,
    partitions,
    puts,
    gets,
    gbSeconds,
    transitions,
    cost,
  };
};

/** DynamoDB's item size: attribute names plus values (strings and binaries by bytes, numbers about 1 byte per 2 digits). */
export const itemBytes = (value: unknown): number => {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(value).replace(/[-.]/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + itemBytes(v), 0);
  if (typeof value === 'object')
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (n, [k, v]) => n + Buffer.byteLength(k) + 1 + itemBytes(v),
        0,
      )
    );
  return 0;
};

export interface VerifyBenchFigures {
  articles: number;
  items: number;
  verifyMs: number;
  localReadUnits: number;
  bytesPerThousand: number;
  rruPerThousand: number;
  bodiesPerThousand: number;
  /** The AWS run's steps, run here on the same table. */
  runMs: number;
  snapshotBytesPerThousand: number;
  aws: AwsVerifyModel;
}

export const benchVerify = async (opts: {
  corpusDir: string | null;
  seedsDir: string;
  articles: number;
}): Promise<VerifyBenchFigures> => {
  const files = listTexts(opts.corpusDir ?? opts.seedsDir);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-verify-'));
  const stack = await startLocalStack({ dataDir, seedsDir: null });
  const s3 = makeLocalS3Client(stack.s3Endpoint);
  try {
    // The corpus over and over under distinct keys, up to the size asked for.
    const keys = Array.from({ length: opts.articles }, (_, i) => i);
    await eachLimited(keys, 8, async (i) => {
      const file = files[i % files.length] as string;
      await s3.send(
        new PutObjectCommand({ Bucket: stack.bucket, Key: `verify/${i}.txt`, Body: readFileSync(file) }),
      );
    });
    await stack.waitForIdle(600_000);
    const started = performance.now();
    const res = await fetch(`${stack.apiUrl}/_local/verify`, { method: 'POST', body: '{}' });
    const reply = (await res.json()) as {
      clean: boolean;
      read: { items: number; records: number; readUnits: number };
    };
    const verifyMs = performance.now() - started;
    if (!reply.clean) throw new Error('the bench table is not clean: verify found drift in a quiet pipeline');
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint }),
    );
    let bytes = 0;
    let bodies = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) {
        // A Scan is billed by the summed size of the items it reads, not item by item.
        bytes += itemBytes(item);
        if (item.sk === 'RECORD' && typeof item.bodyKey === 'string') bodies += 1;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    const perThousand = 1_000 / reply.read.records;
    // The AWS run's own steps, in this process, on the same table (judged as of an hour on: nothing in flight).
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-verify-reports' }));
    const run = makeVerifyRun({
      client: new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint }),
      tableName: stack.tableName,
      s3,
      bucket: stack.bucket,
      bodyBucket: `${stack.bucket}-bodies`,
      reportBucket: 'bench-verify-reports',
      bodies: makeS3BodyStore({ client: s3, bucket: `${stack.bucket}-bodies` }),
      normalise: normaliseArticle,
      maxObjectBytes: MAX_ARTICLE_BYTES,
      parserVersion: PARSER_VERSION,
      observability: makeObservability('verify'),
      now: () => Date.now() + 3_600_000,
    });
    const runStarted = performance.now();
    const report = await run.runAll({ run: 'bench', repair: false, readSharePercent: 10, partitions: 4 });
    const runMs = performance.now() - runStarted;
    if (!report.clean) throw new Error('the AWS run found drift the local verifier did not');
    const measured = {
      bytesPerThousand: bytes * perThousand,
      snapshotBytesPerThousand: report.snapshot.bytes * perThousand,
      bodiesPerThousand: bodies * perThousand,
      localRunMsPerThousand: runMs * perThousand,
    };
    return {
      articles: reply.read.records,
      items: reply.read.items,
      verifyMs,
      localReadUnits: reply.read.readUnits,
      ...measured,
      rruPerThousand: (measured.bytesPerThousand / 4096) * 0.5,
      runMs,
      aws: modelAwsVerify(measured, 1_000_000),
    };
  } finally {
    s3.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

export const verifySection = (f: VerifyBenchFigures): Section => {
  const perThousand = (ms: number) => (ms * 1_000) / f.articles;
  const { aws } = f;
  return {
    title: 'Verify: a full check of table against bucket, local and modelled for AWS',
    note: `${f.articles} articles (${f.items} items) on the local stack, quiet, both ways in one run; AWS model for 1,000,000 articles from what the local run read and wrote (tests/bench/verify.ts)`,
    rows: [
      {
        figure: 'local verify of 1,000 articles',
        value: fmt(perThousand(f.verifyMs), 'ms'),
        target: '<= 30 s (issue 22)',
        pass: perThousand(f.verifyMs) <= 30_000,
      },
      {
        figure: "the AWS run's steps, run locally, per 1,000 articles",
        value: `${fmt(perThousand(f.runMs), 'ms')} (${(f.runMs / f.verifyMs).toFixed(1)}x the local verifier)`,
      },
      {
        figure: 'read units per 1,000 articles (local, consistent Scan)',
        value: fmt((f.localReadUnits * 1_000) / f.articles),
      },
      { figure: 'item data per 1,000 articles', value: `${fmt(f.bytesPerThousand / 1024 / 1024)} MB` },
      {
        figure: 'AWS read request units per 1,000 articles (eventually consistent Scan)',
        value: fmt(f.rruPerThousand),
      },
      {
        figure: 'AWS time per 1,000 articles (10% of 12,000 read units/s)',
        value: `${fmt((aws.seconds * 1_000) / 1_000_000, 's')} (1,000,000 in ${fmt(aws.seconds / 60)} min; ${aws.segments} segments, ${aws.partitions} partitions)`,
      },
      {
        figure: 'AWS S3 requests for 1,000,000 articles',
        value: `${fmt(aws.puts)} PUT, ${fmt(aws.gets)} GET`,
      },
      {
        figure: 'AWS cost of a daily verify of 1,000,000 articles',
        value: `$${aws.cost.total.toFixed(3)} a day (reads $${aws.cost.reads.toFixed(3)}, S3 $${aws.cost.requests.toFixed(3)}, Lambda $${aws.cost.lambda.toFixed(3)}, Step Functions $${aws.cost.stepFunctions.toFixed(3)})`,
        target: '< $1 a day (issue 22)',
        pass: aws.cost.total < 1,
      },
    ],
  };
};
