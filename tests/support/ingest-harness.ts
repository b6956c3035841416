import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { articleIdForKey } from '../../functions/core/article';
import { makeIngestHandler } from '../../functions/ingest/ingest';
import { makeArticleWriter } from '../../functions/store/article-writer';
import { type FaultInjector, installFakeTable } from './fake-table';
import { quietObservability } from './quiet-observability';
import { installFakeBucket } from './s3-objects';
import { lambdaContext, sqsEvent } from './sqs-events';
import { articleText, standInNormalise } from './stand-in-core';

export const local = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };

/**
 * The ingest handler over mocked S3 and DynamoDB clients backed by a fake bucket and table (./fake-table.ts), for
 * handler tests that need the store to remember what it wrote. Call `reset` in `beforeEach`: it installs a fresh
 * table and bucket and returns them.
 */
export const ingestHarness = () => {
  const s3Mock = mockClient(S3Client);
  const ddbMock = mockClient(DynamoDBDocumentClient);
  const observability = quietObservability();
  const faults: FaultInjector = {};
  let table = installFakeTable(ddbMock, faults);
  const handler = makeIngestHandler({
    s3: new S3Client(local),
    store: makeArticleWriter({ client: new DynamoDBClient(local), tableName: 'articles' }),
    normalise: standInNormalise,
    observability,
  });
  return {
    s3Mock,
    ddbMock,
    observability,
    faults,
    handler,
    run: (...records: Parameters<typeof sqsEvent>) => handler(sqsEvent(...records), lambdaContext()),
    upload: (key: string) => table.get(`ART#${articleIdForKey(key)}\u0000UPLOAD`),
    article: (key: string) => table.get(`ART#${articleIdForKey(key)}\u0000ARTICLE`),
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
      table = installFakeTable(ddbMock, faults);
      const bucket = installFakeBucket(s3Mock);
      vi.restoreAllMocks();
      return { table, bucket };
    },
  };
};
