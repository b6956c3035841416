import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadApiConfig } from '../shared/config';
import { makeObservability, publishMetrics } from '../shared/observability';
import { type BodyReader, type BodyStore, makeS3BodyStore } from '../store/article-body';
import { makeArticleReader } from '../store/article-reader';
import { pageFromDirectory } from '../web/page-paths';
import { makeApiHandler } from './app';
import { parseOrigins } from './http';
import { secretCursorKeys } from './secret-cursor-keys';

// Built once per cold start; a bad configuration fails here, naming the variable.
const config = loadApiConfig();
const observability = makeObservability('api');
// Lambda's active tracing records the invocation; this adds a subsegment per DynamoDB call.
const client = observability.traceClient(new DynamoDBClient({}));
/**
 * The S3 client loads on the first article whose body is stored outside its item: no other request needs it, and
 * the cold start of every other route does not pay for it (tests/bench/cold-start.ts).
 */
/** The S3 client is made on the first article whose body is stored outside its item; other requests never need it. */
let bodyStore: BodyStore | undefined;
const bodies: BodyReader = {
  get(key) {
    bodyStore ??= makeS3BodyStore({
      client: observability.traceClient(new S3Client({})),
      bucket: config.BODY_BUCKET,
    });
    return bodyStore.get(key);
  },
};
const app = makeApiHandler({
  reader: makeArticleReader({ client, tableName: config.TABLE_NAME, bodies }),
  // Nothing is read here: the key is fetched by the first request that seals or opens a cursor.
  cursorKeys: secretCursorKeys(config.CURSOR_SECRET_ID),
  corsAllowOrigins: parseOrigins(config.CORS_ALLOW_ORIGINS),
  observability,
  // The bundling step writes the page's files into ui/ beside the bundle (infra/constructs/lookup-api.ts).
  page: pageFromDirectory(new URL('./ui/', import.meta.url)),
});

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    return await app(event);
  } finally {
    publishMetrics(observability.metrics);
  }
};
