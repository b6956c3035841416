import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';

/** A stream record in the shape Lambda delivers (keys and images as attribute values). */
export interface LambdaStreamRecord {
  eventName: string;
  dynamodb: {
    Keys: Record<string, { S?: string }>;
    NewImage?: Record<string, unknown>;
    SequenceNumber: string;
  };
}

/**
 * Every record DynamoDB Local's stream holds for a table, per shard in stream order: what a test hands to the
 * consumers itself, to deliver them late, twice, split or out of order.
 */
export const readStream = async (
  client: DynamoDBClient,
  endpoint: string,
  tableName: string,
): Promise<Map<string, LambdaStreamRecord[]>> => {
  const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream`);
  const streams = new DynamoDBStreamsClient({ ...LOCAL_AWS, endpoint });
  try {
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription
      ?.Shards;
    const out = new Map<string, LambdaStreamRecord[]>();
    for (const shard of shards ?? []) {
      const shardId = shard.ShardId ?? '';
      const records: LambdaStreamRecord[] = [];
      let iterator = (
        await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        for (const r of page.Records ?? [])
          records.push({
            eventName: r.eventName ?? '',
            dynamodb: {
              Keys: (r.dynamodb?.Keys ?? {}) as LambdaStreamRecord['dynamodb']['Keys'],
              ...(r.dynamodb?.NewImage ? { NewImage: r.dynamodb.NewImage as Record<string, unknown> } : {}),
              SequenceNumber: r.dynamodb?.SequenceNumber ?? '',
            },
          });
        if ((page.Records ?? []).length === 0) break;
        iterator = page.NextShardIterator;
      }
      out.set(shardId, records);
    }
    return out;
  } finally {
    streams.destroy();
  }
};
