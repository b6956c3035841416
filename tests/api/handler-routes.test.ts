import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { articleIdForKey } from '../../functions/core/article';
import { MAX_CATALOGUE_CALLS } from '../../functions/store/read-query';
import { httpEvent } from './fixtures';
import { bodyOf, makeMockedApi } from './mock-app';

/** What each route asks DynamoDB, and how it shapes the answer: the SDK is mocked, the app and reader are real. */
const ddb = mockClient(DynamoDBDocumentClient);
const { app, call } = makeMockedApi();
const entry = (id: string, sk: string, extra: Record<string, unknown> = {}) => ({
  pk: 'x',
  sk,
  id,
  headline: `Headline ${id}`,
  publishedDate: sk.slice(0, 10),
  contentHash: 'h',
  ...extra,
});
const queries = () => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);

beforeEach(() => ddb.reset());

describe('GET /uploads/{key}', () => {
  const outcome = (key: string) => ({
    pk: `ART#${articleIdForKey(key)}`,
    sk: 'RECORD',
    key,
    status: 'rejected',
    reason: 'too-short',
    detail: 'the file holds 5 words',
    sequencer: '0001',
    rev: 'r1',
    parserVersion: '2.0.0',
    at: '2026-11-26T06:00:00.000Z',
  });
  const applied = (key: string, rev: string) => ({
    pk: `ART#${articleIdForKey(key)}`,
    sk: 'APPLIED',
    rev,
    derivedFrom: 'none',
    indexedAt: '2026-11-26T06:00:00.300Z',
  });

  it.each([
    ['a/b c/d+e.txt', '/uploads/a/b%20c/d%2Be.txt'],
    ['a/b c/d+e.txt', '/uploads/a%2Fb%20c%2Fd+e.txt'],
    ['100% sure.txt', '/uploads/100%25%20sure.txt'],
  ])('finds the outcome of %j requested as %s', async (key, target) => {
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': `ART#${articleIdForKey(key)}` } })
      .resolves({ Items: [outcome(key)] });
    const res = await call(target);
    expect(res.statusCode).toBe(200);
    const body = bodyOf(res);
    expect(body).toMatchObject({ key, status: 'rejected', reason: 'too-short' });
    expect(body).not.toHaveProperty('pk');
    expect(body).not.toHaveProperty('rev');
    expect(body).not.toHaveProperty('indexedAt');
    expect(queries()[0]).toMatchObject({ ConsistentRead: true });
  });

  it('adds indexedAt only when what was applied is this very write of the record', async () => {
    ddb.on(QueryCommand).resolves({ Items: [outcome('k.txt'), applied('k.txt', 'r1')] });
    expect(bodyOf(await call('/uploads/k.txt'))).toMatchObject({ indexedAt: '2026-11-26T06:00:00.300Z' });
    ddb.on(QueryCommand).resolves({ Items: [outcome('k.txt'), applied('k.txt', 'r0')] });
    expect(bodyOf(await call('/uploads/k.txt'))).not.toHaveProperty('indexedAt');
  });

  it('answers 404 when the stored outcome belongs to another key (an id collision)', async () => {
    ddb.on(QueryCommand).resolves({ Items: [outcome('some/other/key.txt')] });
    expect((await call('/uploads/mine.txt')).statusCode).toBe(404);
  });
});

describe('GET /entities/{type}/{name}/articles', () => {
  it('reads the entity partition newest first, in one call when it has entries', async () => {
    ddb.on(QueryCommand).resolves({ Items: [entry('a', '2024-11-13#a', { mentions: 2 })] });
    const body = bodyOf(await call('/entities/person/Maria%20LOPEZ/articles'));
    expect(body.items).toEqual([
      { id: 'a', headline: 'Headline a', publishedDate: '2024-11-13', mentions: 2 },
    ]);
    expect(queries()).toHaveLength(1);
    expect(queries()[0]).toMatchObject({
      ExpressionAttributeValues: { ':pk': 'ENT#person#maria lopez' },
      ScanIndexForward: false,
      Limit: 21,
    });
  });

  it('resolves a surname through the alias partition in at most three calls', async () => {
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'ENT#person#lopez' } })
      .resolves({ Items: [] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'ALIAS#person#lopez' } })
      .resolves({ Items: [{ sk: 'maria lopez#a' }, { sk: 'maria lopez#b' }, { sk: 'ana lopez#c' }] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'ENT#person#maria lopez' } })
      .resolves({ Items: [entry('a', '2024-11-13#a'), entry('b', '2024-11-12#b')] });
    const body = bodyOf(await call('/entities/person/Lopez/articles?limit=1'));
    expect(body.matched).toBe('maria lopez');
    expect(body.items.map((i: { id: string }) => i.id)).toEqual(['a']);
    expect(queries()).toHaveLength(3);
    // The next page stays on the resolved name without resolving again.
    ddb.resetHistory();
    await call(`/entities/person/lopez/articles?limit=1&cursor=${body.nextCursor}`);
    expect(queries()).toHaveLength(1);
    expect(queries()[0]?.ExclusiveStartKey).toEqual({ pk: 'ENT#person#maria lopez', sk: '2024-11-13#a' });
  });
});

describe('GET /entities', () => {
  it('filters out entities whose count fell to 0, within a bounded number of calls', async () => {
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { pk: 'ENTCAT#place#l', sk: 'lz' } });
    const res = await call('/entities?type=place&prefix=Le');
    const body = bodyOf(res);
    expect(body.items).toEqual([]);
    expect(body.nextCursor).toEqual(expect.any(String));
    expect(queries()).toHaveLength(MAX_CATALOGUE_CALLS);
    expect(queries()[0]).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'articleCount > :zero',
      ExpressionAttributeValues: { ':pk': 'ENTCAT#place#l', ':prefix': 'le', ':zero': 0 },
    });
  });

  it('answers entities with their counts from the one shard a prefix names', async () => {
    ddb
      .on(QueryCommand)
      .resolves({ Items: [{ pk: 'ENTCAT#place#l', sk: 'leeds', name: 'Leeds', articleCount: 4 }] });
    const body = bodyOf(await call('/entities?type=place&prefix=l'));
    expect(body).toEqual({ items: [{ type: 'place', name: 'Leeds', articleCount: 4 }], nextCursor: null });
    expect(queries()).toHaveLength(1);
  });

  it('without a prefix walks the shards in name order, and the cursor resumes at the next shard', async () => {
    const shard = (letter: string, names: string[]) =>
      ddb
        .on(QueryCommand, { ExpressionAttributeValues: { ':pk': `ENTCAT#place#${letter}`, ':zero': 0 } })
        .resolves({ Items: names.map((n) => ({ sk: n.toLowerCase(), name: n, articleCount: 1 })) });
    ddb.on(QueryCommand).resolves({ Items: [] });
    shard('a', ['Aden', 'Athens']);
    shard('b', ['Berlin']);
    shard('g', ['Ghent']);
    const first = bodyOf(await call('/entities?type=place&limit=5'));
    expect(first.items.map((i: { name: string }) => i.name)).toEqual(['Aden', 'Athens', 'Berlin']);
    expect(queries()).toHaveLength(MAX_CATALOGUE_CALLS);
    expect(queries().map((q) => q.ExpressionAttributeValues?.[':pk'])).toEqual(
      ['0', 'a', 'b', 'c', 'd', 'e'].map((l) => `ENTCAT#place#${l}`),
    );
    ddb.resetHistory();
    const next = bodyOf(await call(`/entities?type=place&limit=5&cursor=${first.nextCursor}`));
    expect(next.items.map((i: { name: string }) => i.name)).toEqual(['Ghent']);
    expect(queries()[0]?.ExpressionAttributeValues?.[':pk']).toBe('ENTCAT#place#f');
  });
});

describe('event shapes', () => {
  it('routes under a named stage and answers HEAD without a body', async () => {
    const event = httpEvent('/prod/health', { method: 'HEAD' });
    event.requestContext.stage = 'prod';
    const res = await app(event);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });

  it("answers HEAD with the GET response's Content-Length (RFC 9110 §8.6), not 0", async () => {
    const get = await app(httpEvent('/openapi.json'));
    const head = await app(httpEvent('/openapi.json', { method: 'HEAD' }));
    expect(head.body).toBe('');
    expect(head.headers?.['content-length']).toBe(String(Buffer.byteLength(get.body ?? '')));
  });

  it('says the API takes payload format 2.0 when given a payload 1.0 (REST API) event', async () => {
    const v1 = {
      version: '1.0',
      resource: '/health',
      path: '/health',
      httpMethod: 'GET',
      headers: {},
      queryStringParameters: null,
      requestContext: { httpMethod: 'GET', path: '/health', stage: '$default' },
      body: null,
      isBase64Encoded: false,
    };
    const res = await app(v1 as unknown as Parameters<typeof app>[0]);
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res)).toMatchObject({
      title: 'Bad Request',
      detail: expect.stringMatching(/payload format 2\.0/),
    });
  });
});

describe('problem details (RFC 9457)', () => {
  it('carries the status phrase as the title of an about:blank problem, the specifics in detail', async () => {
    const res = await app(httpEvent('/articles?limit=0'));
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res)).toMatchObject({
      type: 'about:blank',
      title: 'Bad Request',
      detail: expect.stringContaining('limit'),
      invalidParams: [{ name: 'limit', reason: expect.any(String) }],
    });
  });

  it('gives a valid URI reference as instance, whatever the decoded path holds', async () => {
    const res = await app(httpEvent('/no%20such%00route/%F0%9F%98%80'));
    const { instance } = bodyOf(res);
    expect(instance).toBe('/no%20such%00route/%F0%9F%98%80');
    // RFC 3986 characters only: unreserved, reserved and percent-escapes.
    expect(instance).toMatch(/^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/);
  });
});
