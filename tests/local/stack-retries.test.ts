import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';

/**
 * The stack's event source mapping with a stand-in ingest handler: a record that keeps failing ends in the
 * DLQ after maxReceiveCount tries, the others are unaffected, and a redrive (the admin endpoint that
 * `npm run redrive` calls) brings it back. Also checks the S3 test event real S3 sends first.
 */
const NotificationSchema = z.object({
  Records: z.array(
    z.object({ eventName: z.string(), s3: z.object({ object: z.object({ key: z.string() }) }) }),
  ),
});
const TestEventSchema = z.object({ Event: z.literal('s3:TestEvent'), Bucket: z.string() });

describe('local stack retries, DLQ and redrive', () => {
  let dataDir: string;
  let stack: LocalStack;
  let healed = false;
  const attempts: Record<string, number> = {};
  const testEvents: string[] = [];

  const ingest = async (event: SQSEvent) => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      const body: unknown = JSON.parse(record.body);
      const test = TestEventSchema.safeParse(body);
      if (test.success) {
        testEvents.push(test.data.Bucket);
        continue;
      }
      const key = NotificationSchema.parse(body).Records[0]?.s3.object.key ?? '';
      attempts[key] = (attempts[key] ?? 0) + 1;
      if (key.startsWith('poison') && !healed) batchItemFailures.push({ itemIdentifier: record.messageId });
    }
    return { batchItemFailures };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stack-retries-'));
    stack = await startLocalStack({
      dataDir,
      seedsDir: null,
      tuning: { visibilityTimeoutMs: 30, maxReceiveCount: 3 },
      makeHandlers: () => ({ ingest, api: async () => ({ statusCode: 200, body: '{}' }) }),
    });
  });
  afterAll(async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the S3 test event once for a new bucket', async () => {
    await stack.waitForIdle();
    expect(testEvents).toEqual([stack.bucket]);
  });

  it('parks a failing record after maxReceiveCount tries and redrives it', async () => {
    const s3 = makeLocalS3Client(stack.s3Endpoint);
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: 'poison.txt', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: 'fine.txt', Body: 'y' }));
    s3.destroy();
    await stack.waitForIdle();
    expect(attempts).toEqual({ 'poison.txt': 3, 'fine.txt': 1 });
    const status = await (await fetch(`${stack.apiUrl}/_local/status`)).json();
    expect(status).toEqual({ queued: 0, deadLetters: 1 });
    const dlq = z
      .object({ messages: z.array(z.object({ body: z.string(), lastError: z.string().nullable() })) })
      .parse(await (await fetch(`${stack.apiUrl}/_local/dlq`)).json());
    expect(dlq.messages[0]?.lastError).toBe('reported in batchItemFailures');

    healed = true;
    const redrive = await (await fetch(`${stack.apiUrl}/_local/redrive`, { method: 'POST' })).json();
    expect(redrive).toEqual({ redriven: 1 });
    await stack.waitForIdle();
    expect(attempts['poison.txt']).toBe(4);
    expect(stack.queue.deadLetters()).toEqual([]);
  });
});
