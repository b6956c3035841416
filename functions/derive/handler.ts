import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { loadDeriveConfig } from '../shared/config';
import { makeObservability } from '../shared/observability';
import { makeS3BodyStore } from '../store/article-body';
import { makeDeriveWriter } from '../store/derive-writer';
import { makeDeriveHandler } from './derive';

/** The deployed derive consumer (the table's stream -> the items each record derives). */
const config = loadDeriveConfig();
const observability = makeObservability('derive');
const dynamo = observability.traceClient(new DynamoDBClient({}));
const s3 = observability.traceClient(new S3Client({}));

export const handler = makeDeriveHandler({
  writer: makeDeriveWriter({
    client: dynamo,
    tableName: config.TABLE_NAME,
    bodies: makeS3BodyStore({ client: s3, bucket: config.BODY_BUCKET }),
  }),
  observability,
});
