import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { vi } from 'vitest';
import { makeApiHandler } from '../../functions/api/app';
import { makeArticleReader } from '../../functions/store/article-reader';
import { httpEvent, TEST_CURSOR_KEYS } from './fixtures';
import { makeOpenApiValidator } from './openapi-validator';

/**
 * The API with a real reader over an SDK client that tests mock (aws-sdk-client-mock on
 * DynamoDBDocumentClient), and a `call` that checks every response against the OpenAPI document.
 */
export const makeMockedApi = () => {
  const validate = makeOpenApiValidator();
  const logger = { error: vi.fn() };
  const metrics = { addMetric: vi.fn() };
  const app = makeApiHandler({
    reader: makeArticleReader({ client: new DynamoDBClient({ region: 'us-east-1' }), tableName: 'articles' }),
    cursorKeys: TEST_CURSOR_KEYS,
    corsAllowOrigins: ['https://news.example'],
    // Spies, so tests can see what was logged.
    observability: { logger, metrics },
  });
  const call = async (
    target: string,
    options: { method?: string; headers?: Record<string, string> } = {},
  ) => {
    const response = await app(httpEvent(target, options));
    validate(options.method ?? 'GET', target, response);
    return response;
  };
  return { app, call, logger, metrics };
};

export const bodyOf = (response: { body?: string }) => JSON.parse(response.body ?? '');
