import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_AWS } from '../../../infra/local/dynamodb-local';
import type { MakeHandlers } from '../../../infra/local/handler-types';
import { makeLocalS3Client } from '../../../infra/local/s3-local';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../../infra/local/stack';

/** The whole local pipeline (s3rver -> bridge -> queue -> poller -> ingest -> DynamoDB Local; HTTP -> API) for a drill. */
export interface StackDrill {
  stack: LocalStack;
  s3: S3Client;
  scan(): Promise<Array<Record<string, unknown>>>;
  api(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export const startStackDrill = async (
  options: { tuning?: LocalStackOptions['tuning']; wrap?: (make: MakeHandlers) => MakeHandlers } = {},
): Promise<StackDrill> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'drill-stack-'));
  const real: MakeHandlers = async (deps) =>
    (await import('../../../infra/local/handlers')).makeHandlers(deps);
  const stack = await startLocalStack({
    dataDir,
    seedsDir: null,
    // A name that cannot appear in a response by accident, so the API drill can look for it.
    tableName: 'drill-news-table',
    ...(options.tuning ? { tuning: options.tuning } : {}),
    makeHandlers: options.wrap ? options.wrap(real) : real,
  });
  const s3 = makeLocalS3Client(stack.s3Endpoint);
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint });
  const doc = DynamoDBDocumentClient.from(dynamo);
  return {
    stack,
    s3,
    async scan() {
      const items: Array<Record<string, unknown>> = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
    api: (path, init) => fetch(`${stack.apiUrl}${path}`, init),
    async stop() {
      s3.destroy();
      dynamo.destroy();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Runs `work` over `items` with at most `limit` in flight. */
export { eachLimited as inParallel } from '../../../functions/shared/each-limited';

/** The API path of an upload's outcome: each segment percent-encoded, slashes kept (the greedy `{key+}`). */
export const uploadPath = (key: string) => `/uploads/${key.split('/').map(encodeURIComponent).join('/')}`;
