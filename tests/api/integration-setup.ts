import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local';

/** DynamoDB Local in memory on a free port, with the product's table. */
export const infra = (tableName: string) => {
  let local: DynamoDbLocal | undefined;
  return {
    async start(): Promise<{ client: DynamoDBClient; tableName: string; endpoint: string }> {
      local = await startDynamoDbLocal({ dataDir: null });
      await ensureTable(local.client, tableName);
      return { client: local.client, tableName, endpoint: local.endpoint };
    },
    async stop() {
      await local?.stop();
    },
  };
};
