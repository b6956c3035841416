import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeApiHandler } from '../../functions/api/app';
import { makeObservability, publishMetrics } from '../../functions/shared/observability';
import type { ArticleReader } from '../../functions/store/article-reader';
import { httpEvent, TEST_CURSOR_KEYS } from '../api/fixtures';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const local = { region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
const traced = (client: { middlewareStack: { identify(): string[] } }) =>
  client.middlewareStack.identify().some((name) => name.startsWith('xraySubsegments'));

describe('publishMetrics', () => {
  const metricsWithSpies = () => {
    const logger = { trace: vi.fn(), debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const emitted: string[] = [];
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'api', logger });
    // Powertools writes EMF through its own Console on stdout.
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      emitted.push(String(chunk));
      return true;
    });
    return { metrics, logger, emitted };
  };

  it('says nothing for an invocation that recorded no metric (a 4xx, the S3 test event)', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const { metrics, logger, emitted } = metricsWithSpies();
    publishMetrics(metrics);
    expect(logger.warn).not.toHaveBeenCalled();
    expect(emitted).toEqual([]);
  });

  it('publishes what was recorded, once', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const { metrics, logger, emitted } = metricsWithSpies();
    metrics.addMetric('route_health', 'Count', 1);
    publishMetrics(metrics);
    publishMetrics(metrics);
    expect(logger.warn).not.toHaveBeenCalled();
    expect(emitted.filter((line) => line.includes('route_health'))).toHaveLength(1);
  });
});

describe('makeObservability', () => {
  it('logs as Powertools JSON lines, with one logger made on first use', () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('POWERTOOLS_DEV', '');
    const observability = makeObservability('api');
    const lines: string[] = [];
    // Powertools writes errors to stderr (or stdout, depending on version): collect both.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    }
    expect(observability.logger).toBe(observability.logger);
    observability.logger.error('unhandled error answering a request', { path: '/x', method: 'GET' });
    observability.logger.error('second', { path: '/y', method: 'GET' });
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

  it('traces SDK clients only in Lambda with tracing on (the X-Ray daemon address set)', () => {
    const outside = makeObservability('ingest');
    const plain = new DynamoDBClient(local);
    expect(outside.traceClient(plain)).toBe(plain);
    expect(traced(plain)).toBe(false);

    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'ingest');
    vi.stubEnv('AWS_XRAY_DAEMON_ADDRESS', '169.254.79.129:2000');
    const inLambda = makeObservability('ingest');
    const dynamo = inLambda.traceClient(new DynamoDBClient(local));
    const s3 = inLambda.traceClient(new S3Client(local));
    expect(traced(dynamo)).toBe(true);
    expect(traced(s3)).toBe(true);

    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
    expect(traced(makeObservability('ingest').traceClient(new S3Client(local)))).toBe(false);
  });

  it('the API reads its logger only to log an unexpected error, so a cold start builds none', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    const observability = makeObservability('api');
    const reads = vi.spyOn(observability, 'logger', 'get');
    const failing = new Error('table unreachable');
    const reader = {
      getArticle: vi.fn().mockRejectedValue(failing),
    } as Partial<ArticleReader> as ArticleReader;
    const app = makeApiHandler({
      reader,
      cursorKeys: TEST_CURSOR_KEYS,
      corsAllowOrigins: [],
      observability,
    });
    expect((await app(httpEvent('/health'))).statusCode).toBe(200);
    expect(reads).not.toHaveBeenCalled();
    expect((await app(httpEvent('/articles/0123456789abcdef'))).statusCode).toBe(500);
    expect(reads).toHaveBeenCalledTimes(1);
  });
});
