import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { z } from 'zod';
import { LOCAL_AWS } from './dynamodb-local';
import { readJsonFile, writeJsonFile } from './json-file';
import { type StreamHandler, type StreamPollerOptions, startStreamPoller } from './stream-poller';

/**
 * The stream side of the local stack: the derive and count consumers fed from DynamoDB Local's stream of the
 * table, as the event source mappings in infra/constructs/stream-consumers.ts feed them on AWS. Batch size as
 * deployed (1,000, GetRecords' most); DynamoDB Local is polled every 20 ms when idle, so an article's lists follow
 * its record by about that plus one batch's writes, and in a burst the batches grow and fold more into each write.
 */
export const LOCAL_STREAM_TUNING = { batchSize: 1_000, idlePollMs: 20, retryMs: 500 };

/**
 * Per-shard checkpoints kept in a file of the data folder, under the stream's ARN: a table made again (`--fresh`)
 * has a new stream whose shard ids may repeat the old ones, and must not resume at the old one's positions.
 */
const CheckpointFileSchema = z.record(z.string(), z.record(z.string(), z.string()));
const fileCheckpoints = (path: string, streamArn: string) => ({
  load: () => readJsonFile(path, CheckpointFileSchema, {})[streamArn] ?? {},
  save: (all: Record<string, string>) => writeJsonFile(path, { [streamArn]: all }),
});

export class TableWithoutStreamError extends Error {
  override readonly name = 'TableWithoutStreamError';
}

export const startStreamConsumers = async (options: {
  dynamodb: DynamoDBClient;
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  tuning?: Partial<typeof LOCAL_STREAM_TUNING>;
  onInvocation?: StreamPollerOptions['onInvocation'];
  /** A file to keep the stream position in across restarts (the local stack's data folder). */
  checkpointFile?: string;
}) => {
  const table = await options.dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn || !table.Table?.StreamSpecification?.StreamEnabled)
    throw new TableWithoutStreamError(
      `table ${options.tableName} has no stream for the derive and count consumers`,
    );
  const streams = new DynamoDBStreamsClient({ ...LOCAL_AWS, endpoint: options.endpoint });
  const poller = startStreamPoller({
    streams,
    streamArn,
    handler: options.handler,
    ...LOCAL_STREAM_TUNING,
    ...options.tuning,
    ...(options.onInvocation ? { onInvocation: options.onInvocation } : {}),
    ...(options.checkpointFile ? { checkpoints: fileCheckpoints(options.checkpointFile, streamArn) } : {}),
  });
  return {
    caughtUp: poller.caughtUp,
    health: poller.health,
    async stop() {
      await poller.stop();
      streams.destroy();
    },
  };
};

export type StreamConsumers = Awaited<ReturnType<typeof startStreamConsumers>>;
