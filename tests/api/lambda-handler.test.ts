import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpEvent } from './fixtures';

/** The deployed entry: configuration read once at cold start, failing fast and naming the variable. */
const ENV = {
  TABLE_NAME: 'articles',
  BODY_BUCKET: 'article-bodies',
  CURSOR_SECRET: 'lambda-test-secret-lambda-test-secret-0',
  CORS_ALLOW_ORIGINS: 'https://a.example, https://b.example',
  AWS_REGION: 'us-east-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('functions/api/handler.ts', () => {
  it('builds the app from the environment and answers', async () => {
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    const { handler } = await import('../../functions/api/handler');
    const res = await handler(httpEvent('/health', { headers: { origin: 'https://b.example' } }));
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['access-control-allow-origin']).toBe('https://b.example');
  });

  it('refuses to start without a cursor secret long enough to sign with', async () => {
    for (const [k, v] of Object.entries({ ...ENV, CURSOR_SECRET: 'short' })) vi.stubEnv(k, v);
    await expect(import('../../functions/api/handler')).rejects.toThrow(/CURSOR_SECRET/);
  });
});
