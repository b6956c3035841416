import { afterEach, describe, expect, it, vi } from 'vitest';
import { API_METRICS_NAMESPACE, makeApiObservability } from '../../functions/api/observability';
import { METRICS_NAMESPACE } from '../../functions/shared/observability';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('makeApiObservability', () => {
  it('uses the shared metrics namespace', () => {
    expect(API_METRICS_NAMESPACE).toBe(METRICS_NAMESPACE);
  });

  it('logs an unexpected error as a Powertools JSON line, making the logger on first use', () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('POWERTOOLS_DEV', '');
    const { logger } = makeApiObservability('api');
    const lines: string[] = [];
    // Powertools writes errors to stderr (or stdout, depending on version): collect both.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    }
    logger.error('unhandled error answering a request', { path: '/x', method: 'GET' });
    logger.error('second', { path: '/y', method: 'GET' });
    const records = lines.flatMap((l) => l.split('\n')).filter((l) => l.trim().startsWith('{'));
    expect(records).toHaveLength(2);
    expect(JSON.parse(records[0] ?? '{}')).toMatchObject({
      level: 'ERROR',
      message: 'unhandled error answering a request',
      service: 'api',
      path: '/x',
      method: 'GET',
    });
  });
});
