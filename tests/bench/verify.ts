import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { eachLimited } from '../../functions/shared/each-limited';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { startLocalStack } from '../../infra/local/stack';
import { listTexts } from './corpus-files';
import { fmt, type Section } from './report';

/**
 * A full verify, timed on the local stack, and its cost on AWS modelled from the items the local table really
 * holds. Model: a daily verify reads the whole table once with an eventually consistent parallel Scan (0.5 read
 * request units per 4 KB of item data, DynamoDB bills a Scan by the summed item sizes), lists the upload bucket
 * (one LIST per 1,000 objects) and the body bucket, and reads the few bodies kept outside records. List prices,
 * us-east-1, on-demand: $0.125 per million read request units, $0.005 per 1,000 S3 LIST requests, $0.0004 per
 * 1,000 GETs. Lambda and Step Functions are left out: a few minutes of compute a day, cents at most.
 */
export const VERIFY_PRICES = {
  perMillionRru: 0.125,
  perThousandList: 0.005,
  perThousandGet: 0.0004,
} as const;

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
  dailyCostPerMillion: number;
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
    const bytesPerThousand = bytes * perThousand;
    const rruPerThousand = (bytesPerThousand / 4096) * 0.5;
    const million = 1_000;
    const dailyCostPerMillion =
      ((rruPerThousand * million) / 1e6) * VERIFY_PRICES.perMillionRru +
      (1_000_000 / 1_000 / 1_000) * VERIFY_PRICES.perThousandList +
      ((bodies * perThousand * million) / 1_000) * VERIFY_PRICES.perThousandGet;
    return {
      articles: reply.read.records,
      items: reply.read.items,
      verifyMs,
      localReadUnits: reply.read.readUnits,
      bytesPerThousand,
      rruPerThousand,
      bodiesPerThousand: bodies * perThousand,
      dailyCostPerMillion,
    };
  } finally {
    s3.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

export const verifySection = (f: VerifyBenchFigures): Section => ({
  title: 'Verify: a full check of table against bucket, local and modelled for AWS',
  note: `${f.articles} articles (${f.items} items) on the local stack, quiet; AWS model from those items' sizes (tests/bench/verify.ts)`,
  rows: [
    {
      figure: 'local verify of 1,000 articles',
      value: fmt((f.verifyMs * 1_000) / f.articles, 'ms'),
      target: '<= 30 s (issue 22)',
      pass: (f.verifyMs * 1_000) / f.articles <= 30_000,
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
      figure: 'AWS cost of a daily verify of 1,000,000 articles',
      value: `$${f.dailyCostPerMillion.toFixed(3)} a day`,
      target: '< $1 a day (issue 22)',
      pass: f.dailyCostPerMillion < 1,
    },
  ],
});
