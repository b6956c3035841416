import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { loadIngestConfig } from '../shared/config';
import { makeObservability } from '../shared/observability';
import { makeS3BodyStore } from '../store/article-body';
import { makeRecordWriter } from '../store/record-writer';
import { makeIngestHandler } from './ingest';

/**
 * The deployed ingest Lambda. Configuration and clients are made once per cold start (a missing TABLE_NAME fails
 * the cold start, not the first record), and the SDK clients are traced through the one observability module.
 */
const config = loadIngestConfig();
const observability = makeObservability('ingest');
const s3 = observability.traceClient(new S3Client({}));
const dynamo = observability.traceClient(new DynamoDBClient({}));

export const handler = makeIngestHandler({
  s3,
  store: makeRecordWriter({
    client: dynamo,
    tableName: config.TABLE_NAME,
    bodies: makeS3BodyStore({ client: s3, bucket: config.BODY_BUCKET }),
  }),
  observability,
});
