import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_AWS } from './dynamodb-local';
import { type StreamHandler, type StreamPollerOptions, startStreamPoller } from './stream-poller';

/**
 * The stream side of the local stack: the catalogue consumer fed from DynamoDB Local's stream of the table, as the
 * event source mapping in infra/constructs/catalogue-consumer.ts feeds it on AWS. Batch size as deployed; DynamoDB
 * Local is polled every 50 ms, so the catalogue lags an article by about that plus one batch's updates.
 */
export const LOCAL_CATALOGUE_TUNING = { batchSize: 100, idlePollMs: 50, retryMs: 500 };

export class TableWithoutStreamError extends Error {
  override readonly name = 'TableWithoutStreamError';
}

export const startCatalogueConsumer = async (options: {
  dynamodb: DynamoDBClient;
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  tuning?: Partial<typeof LOCAL_CATALOGUE_TUNING>;
  onInvocation?: StreamPollerOptions['onInvocation'];
}) => {
  const table = await options.dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn || !table.Table?.StreamSpecification?.StreamEnabled)
    throw new TableWithoutStreamError(`table ${options.tableName} has no stream for the catalogue consumer`);
  const streams = new DynamoDBStreamsClient({ ...LOCAL_AWS, endpoint: options.endpoint });
  const poller = startStreamPoller({
    streams,
    streamArn,
    handler: options.handler,
    ...LOCAL_CATALOGUE_TUNING,
    ...options.tuning,
    ...(options.onInvocation ? { onInvocation: options.onInvocation } : {}),
  });
  return {
    caughtUp: poller.caughtUp,
    async stop() {
      await poller.stop();
      streams.destroy();
    },
  };
};

export type CatalogueConsumer = Awaited<ReturnType<typeof startCatalogueConsumer>>;
