import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { loadApiConfig } from '../shared/config';
import { makeObservability, publishMetrics } from '../shared/observability';
import type { BodyReader } from '../store/article-body';
import { makeArticleReader } from '../store/article-reader';
import { pageFromDirectory } from '../web/page-paths';
import { makeApiHandler } from './app';
import type { makeBodyReader } from './body-reader';
import { BODY_READER_FILE } from './body-reader-file';
import { parseOrigins } from './http';
import { secretCursorKeys } from './secret-cursor-keys';

// Built once per cold start; a bad configuration fails here, naming the variable.
const config = loadApiConfig();
const observability = makeObservability('api');
// Lambda's active tracing records the invocation; this adds a subsegment per DynamoDB call.
const client = observability.traceClient(new DynamoDBClient({}));
const BodyReaderModuleSchema = z.object({
  makeBodyReader: z.custom<typeof makeBodyReader>((v) => typeof v === 'function'),
});
/**
 * The S3 client is loaded on the first article whose body is stored outside its item, from its own bundle beside
 * this one (./body-reader-file.ts): the cold start of every other request neither loads nor parses it. The
 * specifier is a run-time value, so esbuild leaves the import alone instead of pulling the file in.
 */
const loadBodies = async (): Promise<BodyReader> => {
  const loaded = await import(new URL(`./${BODY_READER_FILE}`, import.meta.url).href);
  return BodyReaderModuleSchema.parse(loaded).makeBodyReader({
    bucket: config.BODY_BUCKET,
    traceClient: observability.traceClient,
  });
};
const app = makeApiHandler({
  reader: makeArticleReader({ client, tableName: config.TABLE_NAME, loadBodies }),
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
