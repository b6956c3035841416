import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { type Article, articleIdForKey } from '../../functions/core/article';
import { makeIngestHandler } from '../../functions/ingest/ingest';
import { decodeBody } from '../../functions/store/article-item';
import { keys } from '../../functions/store/keys';
import { makeRecordWriter } from '../../functions/store/record-writer';
import { type FaultInjector, installFakeTable } from './fake-table';
import { quietObservability } from './quiet-observability';
import { type FakeBucket, installFakeBucket } from './s3-objects';
import { lambdaContext, notification, type S3RecordInput, sqsEvent } from './sqs-events';
import { articleText, standInNormalise } from './stand-in-core';

export const local = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };

/**
 * The ingest handler over mocked S3 and DynamoDB clients backed by a fake versioned bucket (./s3-objects.ts) and a
 * fake table (./fake-table.ts), for handler tests that need the store to remember what it wrote. Call `reset` in
 * `beforeEach`: it installs a fresh table and bucket and returns them.
 *
 * The ingest writes one item per key, its record (`ART#<id>`/`RECORD`): `record(key)` is that item, `article(key)`
 * the article it holds (decoded), or undefined when it holds none.
 */
export const ingestHarness = () => {
  const s3Mock = mockClient(S3Client);
  const ddbMock = mockClient(DynamoDBDocumentClient);
  const observability = quietObservability();
  const faults: FaultInjector = {};
  let table = installFakeTable(ddbMock, faults);
  let bucket: FakeBucket = installFakeBucket(s3Mock);
  const store = makeRecordWriter({ client: new DynamoDBClient(local), tableName: 'articles' });
  const handler = makeIngestHandler({
    s3: new S3Client(local),
    store,
    normalise: standInNormalise,
    observability,
  });
  const record = (key: string) => table.get(`${keys.record(articleIdForKey(key)).pk}\u0000RECORD`);
  return {
    s3Mock,
    ddbMock,
    observability,
    faults,
    handler,
    store,
    /** One invocation; a batch whose every record failed (the batch processor throws) reports them all failed. */
    run: async (...records: Parameters<typeof sqsEvent>) => {
      try {
        return await handler(sqsEvent(...records), lambdaContext());
      } catch (error) {
        if (!(error instanceof FullBatchFailureError)) throw error;
        return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.messageId })) };
      }
    },
    /** The key's record (outcome and article in one item). */
    record,
    /** The article the key's record holds, decoded; undefined when it holds none. */
    article: (key: string): Article | undefined => {
      const body = record(key)?.body;
      return body instanceof Uint8Array ? decodeBody(body) : undefined;
    },
    /**
     * The notification S3 sends for the key's current object, with its eTag (and size) filled in from the fake
     * bucket, so the ingest reads exactly the object the event names. `versioned`: the versionId too, as a
     * versioned bucket's events carry it.
     */
    created: (
      key: string,
      sequencer: string,
      extra: Partial<S3RecordInput> & { versioned?: boolean } = {},
      messageId?: string,
    ) => {
      const { versioned, ...rest } = extra;
      const eTag = bucket.eTag(key);
      const versionId = versioned ? bucket.versionId(key) : undefined;
      return notification(
        {
          key,
          sequencer,
          ...(eTag ? { eTag, size: bucket.get(key)?.byteLength ?? 0 } : {}),
          ...(versionId ? { versionId } : {}),
          ...rest,
        },
        messageId,
      );
    },
    text: (headline: string) =>
      Buffer.from(
        articleText({
          headline,
          date: '2024-11-13',
          people: ['Sergei Shoigu'],
          keywords: ['security talks'],
        }),
      ),
    reset() {
      s3Mock.reset();
      ddbMock.reset();
      faults.fault = undefined;
      faults.afterCommit = undefined;
      faults.before = undefined;
      table = installFakeTable(ddbMock, faults);
      bucket = installFakeBucket(s3Mock);
      vi.restoreAllMocks();
      return { table, bucket };
    },
  };
};
