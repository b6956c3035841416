import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { type S3Local, startS3Local } from '../../infra/local/s3-local';

/**
 * DynamoDB Local (in memory) and, optionally, s3rver on free ports, for one test file: start in beforeAll, stop in
 * afterAll. Each call gets its own table name so tests in a file can use fresh tables without a restart.
 */
export interface LocalServices {
  dynamo: DynamoDbLocal;
  s3: S3Local | null;
  bucket: string;
  /** The stack's own bucket for article bodies too large for their item (created with the upload bucket). */
  bodyBucket: string;
  newTable(): Promise<string>;
  /** Every item in a table, as plain objects. Scan is for tests only; no request path scans. */
  scanAll(tableName: string): Promise<Array<Record<string, unknown>>>;
  stop(): Promise<void>;
}

export const startLocalServices = async (options: { s3: boolean }): Promise<LocalServices> => {
  const bucket = 'articles';
  const bodyBucket = 'article-bodies';
  const dynamo = await startDynamoDbLocal({ dataDir: null });
  const s3Dir = options.s3 ? mkdtempSync(join(tmpdir(), 's3rver-')) : null;
  let s3: S3Local | null = null;
  try {
    if (s3Dir) s3 = await startS3Local({ directory: s3Dir, buckets: [bucket, bodyBucket] });
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  const doc = DynamoDBDocumentClient.from(dynamo.client);
  let tables = 0;
  return {
    dynamo,
    s3,
    bucket,
    bodyBucket,
    async newTable() {
      tables += 1;
      const name = `articles-${tables}`;
      await ensureTable(dynamo.client, name);
      return name;
    },
    async scanAll(tableName) {
      const items: Array<Record<string, unknown>> = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
    async stop() {
      await s3?.stop();
      await dynamo.stop();
      if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
    },
  };
};

/** `pk | sk` strings, sorted: an exact, readable picture of what a table holds. */
export const keyList = (items: Array<Record<string, unknown>>): string[] =>
  items.map((i) => `${String(i.pk)} | ${String(i.sk)}`).sort();
