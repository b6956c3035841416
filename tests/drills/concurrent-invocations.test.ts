import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeIngestHandler } from '../../functions/ingest/ingest';
import type { RecordRequest } from '../../functions/store/record';
import type { RecordWriter, WriteResult } from '../../functions/store/record-writer';
import { quietObservability } from '../support/quiet-observability';
import { installFakeBucket } from '../support/s3-objects';
import { lambdaContext, notification, sqsEvent } from '../support/sqs-events';
import { articleText, standInNormalise } from '../support/stand-in-core';

/**
 * Drill: one handler instance invoked twice at once, as the local stack's poller does (concurrency 2). Each
 * invocation must report exactly its own failed records: a failure that leaks into (or is wiped by) the other
 * invocation's batch state is an event acknowledged without being applied, which is an event lost.
 */
const s3Mock = mockClient(S3Client);
const local = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };

const gate = () => {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

describe('drill: concurrent invocations of one ingest handler', () => {
  beforeEach(() => {
    s3Mock.reset();
    const bucket = installFakeBucket(s3Mock);
    for (const key of ['a-fail.txt', 'a-slow.txt', 'b-ok.txt'])
      bucket.set(key, Buffer.from(articleText({ headline: key, date: '2024-11-13' })));
  });

  it('keeps each batch’s failures to itself', async () => {
    const slowStarted = gate();
    const slowRelease = gate();
    const written: string[] = [];
    const store: Pick<RecordWriter, 'write' | 'check' | 'checkReprocess'> = {
      check: async () => 'apply',
      checkReprocess: async () => ({ verdict: 'apply', basis: '0'.repeat(32) }),
      async write(request: RecordRequest): Promise<WriteResult> {
        if (request.key === 'a-fail.txt') throw new Error('throttled');
        if (request.key === 'a-slow.txt') {
          slowStarted.open();
          await slowRelease.opened;
        }
        written.push(request.key);
        return { recorded: 'ingested', effect: 'written', writeUnits: 1 };
      },
    };
    const handler = makeIngestHandler({
      s3: new S3Client(local),
      store,
      normalise: standInNormalise,
      observability: quietObservability(),
    });
    const failing = notification({ key: 'a-fail.txt', sequencer: '0069204C8E7B000001' }, 'a-fail');
    const slow = notification({ key: 'a-slow.txt', sequencer: '0069204C8E7B000001' }, 'a-slow');
    const other = notification({ key: 'b-ok.txt', sequencer: '0069204C8E7B000001' }, 'b-ok');

    // A fails its first record, then waits in its second; B runs start to finish meanwhile; then A finishes.
    const first = handler(sqsEvent(failing, slow), lambdaContext());
    await slowStarted.opened;
    const second = await handler(sqsEvent(other), lambdaContext());
    slowRelease.open();
    const firstResult = await first;

    console.log(
      `concurrent invocations: A=${JSON.stringify(firstResult)} B=${JSON.stringify(second)} written=${written.join(',')}`,
    );
    expect(second).toEqual({ batchItemFailures: [] });
    expect(firstResult).toEqual({ batchItemFailures: [{ itemIdentifier: 'a-fail' }] });
    expect(written.sort()).toEqual(['a-slow.txt', 'b-ok.txt']);
  });
});
