import { readFileSync } from 'node:fs';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleIdForKey, MAX_ARTICLE_BYTES } from '../../functions/core/article';
import { type IngestHandler, makeIngestHandler } from '../../functions/ingest/ingest';
import { GONE_DETAIL } from '../../functions/ingest/process-record';
import { decodeBody } from '../../functions/store/article-item';
import { keyList, type LocalServices, startLocalServices } from '../support/local-services';
import { quietObservability } from '../support/quiet-observability';
import { eTagOf } from '../support/s3-objects';
import { lambdaContext, notification, sqsEvent } from '../support/sqs-events';
import { derivedKeysIn, expectedDerivedKeys, startStorePipeline } from '../support/store-pipeline';

/**
 * The real core, the real handler, s3rver and DynamoDB Local, and the derive and count consumers on the table's
 * stream: what `npm start` runs, minus the bridge. The ingest writes one record per key; every other item is
 * derived from it, so each check waits for the consumers to catch up, then compares with `derive()`.
 */
let services: LocalServices;
let table: string;
let handler: IngestHandler;
let pipeline: Awaited<ReturnType<typeof startStorePipeline>>;
const seed = readFileSync(new URL('../../seeds/000_bd00a772a06d1794.txt', import.meta.url));

beforeAll(async () => {
  services = await startLocalServices({ s3: true });
  table = await services.newTable();
  if (!services.s3) throw new Error('s3rver did not start');
  pipeline = await startStorePipeline({
    client: services.dynamo.client,
    tableName: table,
    endpoint: services.dynamo.endpoint,
  });
  handler = makeIngestHandler({
    s3: services.s3.client,
    store: pipeline.writer,
    observability: quietObservability(),
  });
});
afterAll(async () => {
  await pipeline?.stop();
  await services?.stop();
});

/** Sequencers as S3 makes them: 18 hex digits, increasing. */
const seq = (n: number) => `0069204C8E${n.toString(16).toUpperCase().padStart(8, '0')}`;
const eTags = new Map<string, string>();
const put = async (key: string, body: Uint8Array | string) => {
  await services.s3?.client.send(new PutObjectCommand({ Bucket: services.bucket, Key: key, Body: body }));
  eTags.set(key, eTagOf(typeof body === 'string' ? Buffer.from(body) : body));
};
/** The notification of the key's last upload (its eTag: the ingest reads exactly that object). */
const created = (key: string, sequencer: string, extra: { size?: number } = {}) =>
  notification({
    key,
    sequencer,
    bucket: services.bucket,
    ...(eTags.has(key) ? { eTag: eTags.get(key) } : {}),
    ...extra,
  });
const del = async (key: string) => {
  await services.s3?.client.send(new DeleteObjectCommand({ Bucket: services.bucket, Key: key }));
};
const run = async (...records: Parameters<typeof sqsEvent>) => {
  const result = await handler(sqsEvent(...records), lambdaContext());
  await pipeline.caughtUp();
  return result;
};
const itemsOf = async (key: string) => {
  const id = articleIdForKey(key);
  return (await services.scanAll(table)).filter(
    (i) => String(i.pk) === `ART#${id}` || String(i.sk).endsWith(id) || String(i.sk) === id,
  );
};
const outcome = async (key: string) => (await itemsOf(key)).find((i) => i.sk === 'RECORD');
/** The article a record holds. */
const articleIn = (record: Record<string, unknown> | undefined) =>
  record?.body instanceof Uint8Array ? decodeBody(record.body) : null;
const id = (key: string) => articleIdForKey(key);

describe('ingest against s3rver and DynamoDB Local', () => {
  it('ingests the seed under an S3-encoded key with spaces, a plus and unicode; derives exactly its items', async () => {
    const key = 'seeds/Shoigu talks+Wang été.txt';
    await put(key, seed);
    const result = await run(created(key, seq(0x100), { size: seed.length }));
    expect(result.batchItemFailures).toEqual([]);
    const record = await outcome(key);
    expect(record).toMatchObject({ key, status: 'ingested', articleId: id(key) });
    const article = articleIn(record);
    expect(article).toMatchObject({ publishedDate: '2024-11-13' });
    const items = await itemsOf(key);
    expect(derivedKeysIn(items)).toEqual(expectedDerivedKeys(article ? [article] : []));
    expect(keyList(items)).toEqual(
      expect.arrayContaining([
        `ART#${id(key)} | APPLIED`,
        `ART#${id(key)} | RECORD`,
        `ENT#person#sergei shoigu | 2024-11-13#${id(key)}`,
        `ALIAS#person#shoigu | sergei shoigu#${id(key)}`,
      ]),
    );
    expect(items.find((i) => i.sk === 'APPLIED')).toMatchObject({
      rev: record?.rev,
      indexedAt: expect.any(String),
    });
  });

  it('five deliveries of one notification leave exactly what one delivery leaves', async () => {
    await put('dup.txt', seed);
    const once = created('dup.txt', seq(0x200));
    await run(once);
    const after1 = await itemsOf('dup.txt');
    const result = await run(once, once, once, once);
    expect(result.batchItemFailures).toEqual([]);
    expect(await itemsOf('dup.txt')).toEqual(after1);
  });

  it('delete-after-create: an older create delivered after the delete changes nothing', async () => {
    await put('gone-later.txt', seed);
    const create = created('gone-later.txt', seq(0x301));
    await del('gone-later.txt');
    await run(
      notification({ key: 'gone-later.txt', sequencer: seq(0x302), eventName: 'ObjectRemoved:Delete' }),
    );
    await run(create);
    expect(keyList(await itemsOf('gone-later.txt'))).toEqual([
      `ART#${id('gone-later.txt')} | APPLIED`,
      `ART#${id('gone-later.txt')} | RECORD`,
    ]);
    expect(await outcome('gone-later.txt')).toMatchObject({ status: 'deleted' });
  });

  it('create-after-delete: a newer create after a delete ends ingested', async () => {
    await put('back.txt', seed);
    await run(created('back.txt', seq(0x401)));
    await run(notification({ key: 'back.txt', sequencer: seq(0x402), eventName: 'ObjectRemoved:Delete' }));
    expect(derivedKeysIn(await itemsOf('back.txt'))).toEqual([]);
    await run(created('back.txt', seq(0x403)));
    const record = await outcome('back.txt');
    expect(record).toMatchObject({ status: 'ingested' });
    const article = articleIn(record);
    expect(derivedKeysIn(await itemsOf('back.txt'))).toEqual(expectedDerivedKeys(article ? [article] : []));
  });

  it('an object gone before processing is recorded as deleted and acknowledged (no retry storm)', async () => {
    const result = await run(
      notification({
        key: 'never-there.txt',
        sequencer: seq(0x500),
        bucket: services.bucket,
        eTag: eTagOf(seed),
      }),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(await outcome('never-there.txt')).toMatchObject({ status: 'deleted', detail: GONE_DETAIL });
  });

  it('records the core rejections with their reason and acknowledges them', async () => {
    await put('feed.json', JSON.stringify({ items: [{ title: 'x' }] }));
    await put('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const result = await run(created('feed.json', seq(0x600)), created('image.png', seq(0x600)));
    expect(result.batchItemFailures).toEqual([]);
    expect(await outcome('feed.json')).toMatchObject({ status: 'rejected', reason: 'unsupported-format' });
    expect(await outcome('image.png')).toMatchObject({ status: 'rejected', reason: 'not-text' });
  });

  it('rejects an object over the size limit as too-large by its stored length', async () => {
    await put('huge.txt', Buffer.alloc(MAX_ARTICLE_BYTES + 1, 0x61));
    const result = await run(created('huge.txt', seq(0x700), { size: 5 }));
    expect(result.batchItemFailures).toEqual([]);
    expect(await outcome('huge.txt')).toMatchObject({ status: 'rejected', reason: 'too-large' });
  });

  it('an article replaced by a rejected file loses its derived items', async () => {
    await put('swap.txt', seed);
    await run(created('swap.txt', seq(0x801)));
    expect(derivedKeysIn(await itemsOf('swap.txt')).length).toBeGreaterThan(0);
    await put('swap.txt', '');
    await run(created('swap.txt', seq(0x802)));
    expect(keyList(await itemsOf('swap.txt'))).toEqual([
      `ART#${id('swap.txt')} | APPLIED`,
      `ART#${id('swap.txt')} | RECORD`,
    ]);
    const record = await outcome('swap.txt');
    expect(record).toMatchObject({ status: 'rejected', reason: 'empty' });
    expect(record?.body).toBeUndefined();
  });

  it('an event whose object was overwritten since (s3rver ignores IfMatch: the ETag is compared) is acknowledged with no write; the newer event records the key', async () => {
    await put('over.txt', seed);
    const first = created('over.txt', seq(0x901));
    await put('over.txt', '');
    const second = created('over.txt', seq(0x902));
    expect((await run(first)).batchItemFailures).toEqual([]);
    expect(await outcome('over.txt')).toBeUndefined();
    await run(second);
    expect(await outcome('over.txt')).toMatchObject({ status: 'rejected', reason: 'empty' });
  });
});
