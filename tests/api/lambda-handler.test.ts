import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpEvent } from './fixtures';

/** The deployed entry: configuration read once at cold start, failing fast and naming the variable. */
const ENV = {
  TABLE_NAME: 'articles',
  BODY_BUCKET: 'article-bodies',
  CURSOR_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cursor',
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

  it('refuses to start without the id of the cursor secret', async () => {
    for (const [k, v] of Object.entries({ ...ENV, CURSOR_SECRET_ID: '' })) vi.stubEnv(k, v);
    await expect(import('../../functions/api/handler')).rejects.toThrow(/CURSOR_SECRET_ID/);
  });
});
