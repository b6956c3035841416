import { afterEach, describe, expect, it, vi } from 'vitest';

/** The deployed entry point: configuration is read at cold start and fails fast. */
describe('functions/ingest/handler.ts', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('fails the cold start, naming the variable, when TABLE_NAME is missing', async () => {
    vi.stubEnv('TABLE_NAME', '');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    await expect(import('../../functions/ingest/handler')).rejects.toThrow(/TABLE_NAME/);
  });

  it('fails the cold start, naming the variable, when BODY_BUCKET is missing', async () => {
    vi.stubEnv('TABLE_NAME', 'articles');
    vi.stubEnv('BODY_BUCKET', '');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    await expect(import('../../functions/ingest/handler')).rejects.toThrow(/BODY_BUCKET/);
  });

  it('exports the handler when configured', async () => {
    vi.stubEnv('TABLE_NAME', 'articles');
    vi.stubEnv('BODY_BUCKET', 'article-bodies');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    const module = await import('../../functions/ingest/handler');
    expect(module.handler).toBeTypeOf('function');
  });
});
