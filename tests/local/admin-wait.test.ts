import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaitReplySchema } from '../../infra/local/admin-routes';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';

/**
 * `POST /_local/wait`, what a script outside the process (the heavy restart drill) waits on before it reads the
 * derived items and counts: an empty queue is not enough while the stream consumers (derive, count) are still
 * working through the stream.
 * A stand-in consumer is held on its first batch to make that moment last.
 */
describe('local stack: POST /_local/wait', () => {
  let dataDir: string;
  let stack: LocalStack;
  let dynamo: DynamoDBClient;
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let batches = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'admin-wait-'));
    stack = await startLocalStack({
      dataDir,
      seedsDir: null,
      makeHandlers: () => ({
        ingest: async () => ({ batchItemFailures: [] }),
        api: async () => ({ statusCode: 200, body: '{}' }),
        stream: async () => {
          batches += 1;
          await held;
          return {};
        },
      }),
    });
    dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint });
  });
  afterAll(async () => {
    release();
    dynamo.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const wait = async (timeoutMs: number) => {
    const reply = await fetch(`${stack.apiUrl}/_local/wait`, {
      method: 'POST',
      body: JSON.stringify({ timeoutMs }),
    });
    expect(reply.status).toBe(200);
    return WaitReplySchema.parse(await reply.json());
  };

  it('is idle at once when nothing is pending', async () => {
    expect(await wait(10_000)).toEqual({ idle: true });
  });

  it('is not idle while the stream consumers have records to apply, though the queue is empty', async () => {
    await dynamo.send(
      new PutItemCommand({
        TableName: stack.tableName,
        Item: { pk: { S: 'ENT#person#ada lovelace' }, sk: { S: '2024-05-01#a1' } },
      }),
    );
    expect(await wait(400)).toEqual({ idle: false });
    expect(batches).toBe(1);
    expect(await (await fetch(`${stack.apiUrl}/_local/status`)).json()).toEqual({
      queued: 0,
      deadLetters: 0,
    });
    release();
    expect(await wait(10_000)).toEqual({ idle: true });
  });
});
