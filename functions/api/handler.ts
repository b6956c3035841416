import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadApiConfig } from '../shared/config';
import { makeObservability } from '../shared/observability';
import { makeArticleReader } from '../store/article-reader';
import { makeApiHandler } from './app';
import { parseOrigins } from './http';
import { secretCursorKeys } from './secret-cursor-keys';

// Built once per cold start; a bad configuration fails here, naming the variable.
const config = loadApiConfig();
const observability = makeObservability('api');
// Lambda's active tracing records the invocation; this adds a subsegment per DynamoDB call.
const client = observability.traceClient(new DynamoDBClient({}));
const app = makeApiHandler({
  reader: makeArticleReader({ client, tableName: config.TABLE_NAME }),
  // Nothing is read here: the key is fetched by the first request that seals or opens a cursor.
  cursorKeys: secretCursorKeys(config.CURSOR_SECRET_ID),
  corsAllowOrigins: parseOrigins(config.CORS_ALLOW_ORIGINS),
  observability,
});

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    return await app(event);
  } finally {
    observability.metrics.publishStoredMetrics();
  }
};
