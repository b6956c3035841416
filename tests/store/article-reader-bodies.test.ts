import { gzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BodyReader } from '../../functions/store/article-body';
import { makeArticleReader } from '../../functions/store/article-reader';

/** The Lambda loads its S3 body reader through `loadBodies` (functions/api/handler.ts): only when a body is stored. */
const local = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const item = (id: string, stored: { body: Uint8Array } | { bodyKey: string }) => ({
  pk: `ART#${id}`,
  sk: 'RECORD',
  key: `${id}.txt`,
  status: 'ingested',
  sequencer: '0062E9A1B2'.padEnd(32, '0'),
  rev: 'r1',
  at: '2026-12-07T00:00:00.000Z',
  articleId: id,
  contentHash: 'h',
  parserVersion: '1',
  ...stored,
});

const setup = (bodies: BodyReader | Error) => {
  const loadBodies = vi.fn(async () => {
    if (bodies instanceof Error) throw bodies;
    return bodies;
  });
  const reader = makeArticleReader({ client: new DynamoDBClient(local), tableName: 't', loadBodies });
  return { reader, loadBodies };
};

describe('loading the body reader', () => {
  it('never loads it for an article whose body is in its item, a missing one, or a list', async () => {
    const { reader, loadBodies } = setup({ get: async () => null });
    ddb.on(GetCommand).resolves({ Item: item('a', { body: gzipSync('{"id":"a"}') }) });
    expect((await reader.getArticle('a'))?.json).toBe('{"id":"a"}');
    ddb.on(GetCommand).resolves({});
    expect(await reader.getArticle('b')).toBeNull();
    ddb.on(QueryCommand).resolves({ Items: [] });
    await reader.listByDate({ limit: 5 });
    expect(loadBodies).not.toHaveBeenCalled();
  });

  it('loads it once, on the first article whose body is stored, and reads every such body with it', async () => {
    const get = vi.fn(async (key: string) => gzipSync(JSON.stringify({ key })));
    const { reader, loadBodies } = setup({ get });
    ddb.on(GetCommand).resolves({ Item: item('c', { bodyKey: 'bodies/c/1.json.gz' }) });
    expect(JSON.parse((await reader.getArticle('c'))?.json ?? 'null')).toEqual({ key: 'bodies/c/1.json.gz' });
    await reader.getArticle('c');
    expect(loadBodies).toHaveBeenCalledTimes(1);
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('tries a failed load again on the next request instead of failing every later one', async () => {
    ddb.on(GetCommand).resolves({ Item: item('d', { bodyKey: 'bodies/d/1.json.gz' }) });
    const { reader, loadBodies } = setup(new Error('body-reader.mjs missing'));
    await expect(reader.getArticle('d')).rejects.toThrow('body-reader.mjs missing');
    await expect(reader.getArticle('d')).rejects.toThrow('body-reader.mjs missing');
    expect(loadBodies).toHaveBeenCalledTimes(2);
  });
});
