import { readFileSync } from 'node:fs';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleIdForKey, MAX_ARTICLE_BYTES } from '../../functions/core/article';
import { type IngestHandler, makeIngestHandler } from '../../functions/ingest/ingest';
import { GONE_DETAIL } from '../../functions/ingest/process-record';
import { makeArticleWriter } from '../../functions/store/article-writer';
import { keyList, type LocalServices, startLocalServices } from '../support/local-services';
import { quietObservability } from '../support/quiet-observability';
import { lambdaContext, notification, sqsEvent } from '../support/sqs-events';

/** The real core, the real handler, s3rver and DynamoDB Local: what `npm start` runs, minus the bridge. */
let services: LocalServices;
let table: string;
let handler: IngestHandler;
const seed = readFileSync(new URL('../../seeds/000_bd00a772a06d1794.txt', import.meta.url));

beforeAll(async () => {
  services = await startLocalServices({ s3: true });
  table = await services.newTable();
  if (!services.s3) throw new Error('s3rver did not start');
  handler = makeIngestHandler({
    s3: services.s3.client,
    store: makeArticleWriter({ client: services.dynamo.client, tableName: table }),
    observability: quietObservability(),
  });
});
afterAll(async () => {
  await services?.stop();
});

const put = async (key: string, body: Uint8Array | string) => {
  await services.s3?.client.send(new PutObjectCommand({ Bucket: services.bucket, Key: key, Body: body }));
};
const del = async (key: string) => {
  await services.s3?.client.send(new DeleteObjectCommand({ Bucket: services.bucket, Key: key }));
};
const run = (...records: Parameters<typeof sqsEvent>) => handler(sqsEvent(...records), lambdaContext());
const itemsOf = async (key: string) => {
  const id = articleIdForKey(key);
  return (await services.scanAll(table)).filter(
    (i) => String(i.pk) === `ART#${id}` || String(i.sk).endsWith(id) || String(i.sk) === id,
  );
};
const outcome = async (key: string) => (await itemsOf(key)).find((i) => i.sk === 'UPLOAD');

describe('ingest against s3rver and DynamoDB Local', () => {
  it('ingests the seed under an S3-encoded key with spaces, a plus and unicode', async () => {
    const key = 'seeds/Shoigu talks+Wang été.txt';
    await put(key, seed);
    const result = await run(
      notification({ key, sequencer: '0100', bucket: services.bucket, size: seed.length }),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(await outcome(key)).toMatchObject({ key, status: 'ingested', articleId: articleIdForKey(key) });
    const keys = keyList(await itemsOf(key));
    const id = articleIdForKey(key);
    expect(keys).toEqual(
      expect.arrayContaining([
        `ART#${id} | ARTICLE`,
        `DATE#2024-11 | 2024-11-13#${id}`,
        `ENT#person#sergei shoigu | 2024-11-13#${id}`,
        `ALIAS#person#shoigu | sergei shoigu#${id}`,
      ]),
    );
  });

  it('five deliveries of one notification leave exactly what one delivery leaves', async () => {
    await put('dup.txt', seed);
    const once = notification({ key: 'dup.txt', sequencer: '0200', bucket: services.bucket });
    await run(once);
    const after1 = await itemsOf('dup.txt');
    const result = await run(once, once, once, once);
    expect(result.batchItemFailures).toEqual([]);
    expect(await itemsOf('dup.txt')).toEqual(after1);
  });

  it('delete-after-create: an older create delivered after the delete changes nothing', async () => {
    await put('gone-later.txt', seed);
    await del('gone-later.txt');
    await run(notification({ key: 'gone-later.txt', sequencer: '0302', eventName: 'ObjectRemoved:Delete' }));
    await run(notification({ key: 'gone-later.txt', sequencer: '0301', bucket: services.bucket }));
    expect(keyList(await itemsOf('gone-later.txt'))).toEqual([
      `ART#${articleIdForKey('gone-later.txt')} | UPLOAD`,
    ]);
    expect(await outcome('gone-later.txt')).toMatchObject({ status: 'deleted' });
  });

  it('create-after-delete: a newer create after a delete ends ingested', async () => {
    await put('back.txt', seed);
    await run(notification({ key: 'back.txt', sequencer: '0401', bucket: services.bucket }));
    await run(notification({ key: 'back.txt', sequencer: '0402', eventName: 'ObjectRemoved:Delete' }));
    await run(notification({ key: 'back.txt', sequencer: '0403', bucket: services.bucket }));
    expect(await outcome('back.txt')).toMatchObject({ status: 'ingested' });
    expect((await itemsOf('back.txt')).some((i) => i.sk === 'ARTICLE')).toBe(true);
  });

  it('an object gone before processing is recorded as deleted and acknowledged (no retry storm)', async () => {
    const result = await run(
      notification({ key: 'never-there.txt', sequencer: '0500', bucket: services.bucket }),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(await outcome('never-there.txt')).toMatchObject({ status: 'deleted', detail: GONE_DETAIL });
  });

  it('records the core rejections with their reason and acknowledges them', async () => {
    await put('feed.json', JSON.stringify({ items: [{ title: 'x' }] }));
    await put('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const result = await run(
      notification({ key: 'feed.json', sequencer: '0600', bucket: services.bucket }),
      notification({ key: 'image.png', sequencer: '0600', bucket: services.bucket }),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(await outcome('feed.json')).toMatchObject({ status: 'rejected', reason: 'unsupported-format' });
    expect(await outcome('image.png')).toMatchObject({ status: 'rejected', reason: 'not-text' });
  });

  it('rejects an object over the size limit as too-large by its stored length', async () => {
    await put('huge.txt', Buffer.alloc(MAX_ARTICLE_BYTES + 1, 0x61));
    const result = await run(
      notification({ key: 'huge.txt', sequencer: '0700', bucket: services.bucket, size: 5 }),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(await outcome('huge.txt')).toMatchObject({ status: 'rejected', reason: 'too-large' });
  });

  it('an article replaced by a rejected file loses its article and entries', async () => {
    await put('swap.txt', seed);
    await run(notification({ key: 'swap.txt', sequencer: '0801', bucket: services.bucket }));
    await put('swap.txt', '');
    await run(notification({ key: 'swap.txt', sequencer: '0802', bucket: services.bucket }));
    expect(keyList(await itemsOf('swap.txt'))).toEqual([`ART#${articleIdForKey('swap.txt')} | UPLOAD`]);
    expect(await outcome('swap.txt')).toMatchObject({ status: 'rejected', reason: 'empty' });
  });
});
