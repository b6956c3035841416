import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { errorText } from './local-logger';

/**
 * The local stack's `GET /health`: each part checked now (table, bucket, queue, stream consumer), 503 when one
 * is down. The deployed API's /health says only that the function runs; locally every part is ours to watch.
 */
export type PartHealth = { status: 'ok' } | { status: 'down'; error: string };
export const PARTS = ['table', 'bucket', 'queue', 'streamConsumer'] as const;
export type Part = (typeof PARTS)[number];
export interface StackHealth {
  status: 'ok' | 'down';
  parts: Record<Part, PartHealth>;
}

const CHECK_TIMEOUT_MS = 2_000;

const probe = async (check: () => Promise<unknown>): Promise<PartHealth> => {
  try {
    await check();
    return { status: 'ok' };
  } catch (error) {
    return { status: 'down', error: causeOf(error) };
  }
};

/** The SDK wraps a refused connection; the code (ECONNREFUSED) is what names the fix. */
const causeOf = (error: unknown): string => {
  const code = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' && !errorText(error).includes(code)
    ? `${code}: ${errorText(error)}`
    : errorText(error);
};

export const tableHealth = (dynamodb: DynamoDBClient, tableName: string): Promise<PartHealth> =>
  probe(() =>
    dynamodb.send(new DescribeTableCommand({ TableName: tableName }), {
      abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    }),
  );

export const makeHealthCheck =
  (deps: {
    dynamodb: DynamoDBClient;
    tableName: string;
    s3: S3Client;
    bucket: string;
    /** Null while the ingest's poller runs; else why it stopped. */
    queueCrashed: () => string | null;
    stream: (() => { ok: boolean; error: string | null }) | null;
  }) =>
  async (): Promise<StackHealth> => {
    const [table, bucket] = await Promise.all([
      tableHealth(deps.dynamodb, deps.tableName),
      probe(() =>
        deps.s3.send(new HeadBucketCommand({ Bucket: deps.bucket }), {
          abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
        }),
      ),
    ]);
    const crashed = deps.queueCrashed();
    const queue: PartHealth = crashed ? { status: 'down', error: crashed } : { status: 'ok' };
    const stream = deps.stream?.() ?? { ok: true, error: null };
    const streamConsumer: PartHealth = stream.ok
      ? { status: 'ok' }
      : { status: 'down', error: stream.error ?? 'failing' };
    const parts = { table, bucket, queue, streamConsumer };
    return { status: PARTS.every((p) => parts[p].status === 'ok') ? 'ok' : 'down', parts };
  };
