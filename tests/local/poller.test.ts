import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { failedReceipts, type SqsHandler, startPoller } from '../../infra/local/poller';
import { LocalQueue, type Received } from '../../infra/local/queue';

const ARN = 'arn:aws:sqs:us-east-1:000000000000:local-ingest';

const until = async (condition: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

const run = async (handler: SqsHandler, bodies: string[], batchSize = 10, functionTimeoutMs = 1000) => {
  const queue = new LocalQueue({ dataDir: null, visibilityTimeoutMs: 20, maxReceiveCount: 3 });
  const poller = startPoller({
    queue,
    queueArn: ARN,
    handler,
    functionName: 'ingest',
    batchSize,
    batchingWindowMs: 0,
    concurrency: 2,
    functionTimeoutMs,
  });
  for (const body of bodies) queue.send(body);
  await until(() => poller.isIdle());
  await poller.stop();
  return queue;
};

describe('poller (the SQS event source mapping)', () => {
  it('hands over records shaped like the SQS event source and deletes the successes', async () => {
    const events: SQSEvent[] = [];
    const queue = await run(
      async (event) => {
        events.push(event);
        return { batchItemFailures: [] };
      },
      ['{"a":1}', '{"b":2}'],
    );
    const records = events.flatMap((e) => e.Records);
    expect(records.map((r) => r.body).sort()).toEqual(['{"a":1}', '{"b":2}']);
    expect(records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: ARN,
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(records[0]?.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(queue.size).toBe(0);
    expect(queue.deadLetters()).toEqual([]);
  });

  it('retries only the records listed in batchItemFailures, then parks them in the DLQ', async () => {
    const seen: Record<string, string[]> = {};
    const queue = await run(
      async (event) => {
        for (const r of event.Records)
          seen[r.body] = [...(seen[r.body] ?? []), r.attributes.ApproximateReceiveCount];
        return {
          batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({
            itemIdentifier: r.messageId,
          })),
        };
      },
      ['good', 'bad'],
    );
    expect(seen.good).toEqual(['1']);
    expect(seen.bad).toEqual(['1', '2', '3']);
    expect(queue.deadLetters()).toMatchObject([{ body: 'bad', lastError: 'reported in batchItemFailures' }]);
  });

  it('retries the whole batch when the handler throws', async () => {
    let calls = 0;
    const queue = await run(async () => {
      calls += 1;
      if (calls === 1) throw new Error('table unavailable');
    }, ['x', 'y']);
    expect(calls).toBe(2);
    expect(queue.size).toBe(0);
    expect(queue.deadLetters()).toEqual([]);
  });

  it('fails the batch of an invocation that outlives the function timeout, like Lambda', async () => {
    let calls = 0;
    const queue = await run(
      () => {
        calls += 1;
        return new Promise(() => {});
      },
      ['slow'],
      10,
      20,
    );
    expect(calls).toBe(3);
    expect(queue.deadLetters()).toMatchObject([
      { body: 'slow', lastError: expect.stringMatching(/timed out/) },
    ]);
  });

  it('never gives the handler more than the batch size', async () => {
    const sizes: number[] = [];
    await run(
      async (event) => {
        sizes.push(event.Records.length);
      },
      ['1', '2', '3', '4', '5'],
      2,
    );
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
  });
});

describe('failedReceipts', () => {
  const received = (messageId: string, receiptHandle: string): Received => ({
    message: {
      messageId,
      body: '{}',
      sentTimestamp: 0,
      receiveCount: 1,
      firstReceiveTimestamp: 0,
      visibleAt: 0,
      lastError: null,
    },
    receiptHandle,
  });
  const batch = [received('m1', 'r1'), received('m2', 'r2')];

  it('fails the whole batch when a listed id is not in it (as Lambda does)', () => {
    expect([
      ...failedReceipts(batch, { response: { batchItemFailures: [{ itemIdentifier: 'zz' }] } }).failed,
    ]).toEqual(['r1', 'r2']);
  });

  it('treats an empty or missing response as full success', () => {
    expect(failedReceipts(batch, { response: undefined }).failed.size).toBe(0);
    expect(failedReceipts(batch, { response: {} }).failed.size).toBe(0);
  });

  it('fails the whole batch on a malformed response', () => {
    expect(failedReceipts(batch, { response: { batchItemFailures: 'nope' } }).failed.size).toBe(2);
  });
});
