import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeApiHandler } from '../../functions/api/app';
import { fixedCursorKeys } from '../../functions/api/cursor-keys';
import { makeArticleReader } from '../../functions/store/article-reader';
import { prepareRecord } from '../../functions/store/record';
import { httpEvent, makeArticle } from './fixtures';
import { bodyOf, makeMockedApi } from './mock-app';

const ddb = mockClient(DynamoDBDocumentClient);
const { call, logger } = makeMockedApi();

const article = makeArticle({
  key: 'news/2024/budget.txt',
  headline: 'Council sets out budget',
  publishedDate: '2024-11-13',
  people: [['Maria Lopez', 3]],
  keywords: ['budget'],
});
const summary = (n: number) => ({
  id: `${n}`.padStart(16, 'a'),
  headline: `Story ${n}`,
  publishedDate: '2024-11-13',
  sk: `2024-11-13#${n}`,
});

beforeEach(() => {
  ddb.reset();
  logger.error.mockClear();
});

describe('routing and problem details', () => {
  it('answers 404 problem+json for an unknown route', async () => {
    const res = await call('/nope');
    expect(res.statusCode).toBe(404);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(bodyOf(res)).toMatchObject({ status: 404, title: 'Not Found', instance: '/nope' });
  });

  it('answers 405 with Allow for a wrong method on a known route', async () => {
    const res = await call('/health', { method: 'POST' });
    expect(res.statusCode).toBe(405);
    expect(res.headers?.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('answers 500 with a generic detail and logs the cause, never the internal message', async () => {
    ddb.on(GetCommand).rejects(new Error('secret internal failure at line 42'));
    const res = await call('/articles/0123456789abcdef');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret internal');
    expect(res.body).not.toMatch(/at .+\.ts/);
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('answers 500 when an item does not have the documented layout', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'DATE', sk: 'x', headline: 7 }] });
    const res = await call('/articles');
    expect(res.statusCode).toBe(500);
    expect(bodyOf(res).detail).not.toContain('layout');
  });

  it('serves health with no-store and the OpenAPI document', async () => {
    const health = await call('/health');
    expect(health.headers?.['cache-control']).toBe('no-store');
    const doc = bodyOf(await call('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('validation', () => {
  it.each([
    ['/articles?limit=0', 'limit'],
    ['/articles?limit=101', 'limit'],
    ['/articles?limit=ten', 'limit'],
    ['/articles?from=2024-02-30', 'from'],
    ['/articles?from=2024-11-14&to=2024-11-13', 'from'],
    ['/articles/not-an-id', 'id'],
    ['/entities?prefix=ma', 'type'],
    ['/entities?type=animal', 'type'],
    ['/entities/animal/lion/articles', 'type'],
    ['/search', 'q'],
    ['/search?q=the%20of', 'q'],
    ['/search?q=a%20b%20c%20d%20e%20f%20g', 'q'],
  ])('%s -> 400 naming %s', async (target, name) => {
    const res = await call(target);
    expect(res.statusCode).toBe(400);
    const body = bodyOf(res);
    expect(body.invalidParams[0].name).toBe(name);
    expect(body.detail).toContain(`'${name}'`);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('articles', () => {
  it('serves the stored record with ETag and Cache-Control, and 304 on If-None-Match', async () => {
    const { item } = prepareRecord(
      {
        key: article.source.key,
        sequencer: '0062E9A1B2'.padEnd(32, '0'),
        parserVersion: article.parserVersion,
        change: { kind: 'ingested', article },
      },
      article.id,
      '2026-11-26T06:00:00.000Z',
    );
    ddb.on(GetCommand, { Key: { pk: `ART#${article.id}`, sk: 'RECORD' } }).resolves({ Item: item });
    const res = await call(`/articles/${article.id}`);
    expect(res.statusCode).toBe(200);
    expect(bodyOf(res)).toEqual(article);
    expect(res.headers?.['cache-control']).toBe('max-age=300');
    const etag = String(res.headers?.etag);
    const again = await call(`/articles/${article.id}`, {
      headers: { 'if-none-match': `W/${etag}, "other"` },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBeUndefined();
    const changed = await call(`/articles/${article.id}`, { headers: { 'if-none-match': '"stale"' } });
    expect(changed.statusCode).toBe(200);
  });

  it('answers 404 for an unknown id', async () => {
    ddb.on(GetCommand).resolves({});
    expect((await call('/articles/0123456789abcdef')).statusCode).toBe(404);
  });
});

describe('cursors', () => {
  /** The month list names November 2024; the month's first shard answers `items`, the other three nothing. */
  const months = () =>
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'MONTH' } })
      .resolves({ Items: [{ sk: '2024-11' }] });
  const shard0 = (items: Record<string, unknown>[]) => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'DATE#2024-11#0' } })
      .resolves({ Items: items });
  };
  const firstPage = async () => {
    // Newest first, as DynamoDB answers a backward Query.
    shard0([3, 2, 1].map(summary));
    months();
    const res = await call('/articles?from=2024-11-01&limit=2');
    return bodyOf(res) as { items: unknown[]; nextCursor: string };
  };

  it('pages with a cursor that resumes after the last item served', async () => {
    const page = await firstPage();
    expect(page.items).toHaveLength(2);
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input).toMatchObject({
      Limit: 3,
      ScanIndexForward: false,
      ExpressionAttributeValues: { ':pk': 'DATE#2024-11#0' },
    });
    // The month's four shards are read, each for one more than the page needs.
    expect(
      ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk']),
    ).toEqual(['MONTH', 'DATE#2024-11#0', 'DATE#2024-11#1', 'DATE#2024-11#2', 'DATE#2024-11#3']);
    ddb.reset();
    shard0([summary(3)]);
    months();
    const next = bodyOf(await call(`/articles?from=2024-11-01&limit=2&cursor=${page.nextCursor}`));
    expect(next.nextCursor).toBeNull();
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      pk: 'DATE#2024-11#0',
      sk: '2024-11-13#2',
    });
  });

  it('refuses a tampered, forged or replayed cursor with 400', async () => {
    const { nextCursor } = await firstPage();
    const [payload = '', signature = ''] = nextCursor.split('.');
    const edited = Buffer.from(JSON.stringify({ v: 1, q: 'x', p: '9999' })).toString('base64url');
    const flipped = `${payload.slice(0, -1)}${payload.endsWith('A') ? 'B' : 'A'}.${signature}`;
    for (const bad of [`${edited}.${signature}`, flipped, 'garbage', `${payload}.`, `${nextCursor}.x`]) {
      const res = await call(`/articles?from=2024-11-01&cursor=${encodeURIComponent(bad)}`);
      expect(res.statusCode).toBe(400);
      expect(bodyOf(res).invalidParams[0].name).toBe('cursor');
    }
    const replayed = await call(`/articles?from=2024-10-01&cursor=${nextCursor}`);
    expect(replayed.statusCode).toBe(400);
    expect(bodyOf(replayed).detail).toContain('different query');
    const otherRoute = await call(`/entities?type=person&cursor=${nextCursor}`);
    expect(otherRoute.statusCode).toBe(400);
  });

  it('refuses a cursor signed with another secret', async () => {
    const other = makeApiHandler({
      reader: makeArticleReader({
        client: new DynamoDBClient({ region: 'us-east-1' }),
        tableName: 'articles',
      }),
      cursorKeys: fixedCursorKeys('another-secret-another-secret-another-secret'),
      corsAllowOrigins: [],
    });
    ddb.on(QueryCommand).resolves({ Items: [1, 2, 3].map(summary) });
    const forged = bodyOf(await other(httpEvent('/articles?from=2024-11-01&limit=2'))).nextCursor;
    expect((await call(`/articles?from=2024-11-01&cursor=${forged}`)).statusCode).toBe(400);
  });
});

describe('CORS', () => {
  it('echoes an allowed origin with Vary, and not a foreign one', async () => {
    const allowed = await call('/health', { headers: { origin: 'https://news.example' } });
    expect(allowed.headers?.['access-control-allow-origin']).toBe('https://news.example');
    expect(allowed.headers?.vary).toBe('Origin');
    const foreign = await call('/health', { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers?.['access-control-allow-origin']).toBeUndefined();
    expect(foreign.headers?.vary).toBe('Origin');
  });

  it('answers a preflight with the allowed methods', async () => {
    const res = await call('/articles', { method: 'OPTIONS', headers: { origin: 'https://news.example' } });
    expect(res.statusCode).toBe(204);
    expect(res.headers?.['access-control-allow-methods']).toContain('GET');
  });
});
