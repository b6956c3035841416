import { gzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { isRejection } from '../../functions/core/article';
import { toArticleItem } from '../../functions/store/article-item';
import { makeArticleReader } from '../../functions/store/article-reader';
import { articleText, standInNormalise } from '../support/stand-in-core';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const article = () => {
  const result = standInNormalise(
    Buffer.from(articleText({ headline: 'Codec', date: '2024-11-13' })),
    'c.txt',
  );
  if (isRejection(result)) throw new Error(result.detail);
  return result;
};

const reader = () =>
  makeArticleReader({
    client: new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }),
    tableName: 't',
  });

describe('article reader: stored bodies', () => {
  it('serves the JSON of a brotli body as the writer stores it', async () => {
    const a = article();
    ddb.on(GetCommand).resolves({ Item: { ...toArticleItem(a, []) } });
    const got = await reader().getArticle(a.id);
    expect(got && JSON.parse(got.json)).toEqual(a);
  });

  it('serves the JSON of a gzip body from an item written before brotli (no bodyEncoding)', async () => {
    const a = article();
    const { bodyEncoding: _dropped, ...item } = toArticleItem(a, []);
    ddb.on(GetCommand).resolves({ Item: { ...item, body: new Uint8Array(gzipSync(JSON.stringify(a))) } });
    const got = await reader().getArticle(a.id);
    expect(got && JSON.parse(got.json)).toEqual(a);
  });
});
