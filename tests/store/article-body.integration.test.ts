import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Article, articleIdForKey, isRejection, MAX_ARTICLE_BYTES } from '../../functions/core/article';
import { type BodyStore, makeS3BodyStore } from '../../functions/store/article-body';
import { encodeBody } from '../../functions/store/article-item';
import { makeArticleReader } from '../../functions/store/article-reader';
import { bodyKeyFor } from '../../functions/store/record';
import { makeRecordWriter } from '../../functions/store/record-writer';
import { type LocalServices, startLocalServices } from '../support/local-services';
import { articleText, standInNormalise } from '../support/stand-in-core';
import { deleteRequest, ingestRequest } from '../support/store-pipeline';

/**
 * Articles up to MAX_ARTICLE_BYTES are stored whole: a body too big for its record goes to the body bucket
 * (s3rver's second bucket here) under a key derived from its content, put before the record and never deleted by a
 * writer, so no record can point at a missing body (the audit's D5, D6).
 */
let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ s3: true });
}, 60_000);
afterAll(async () => {
  await services?.stop();
});

/** Prose of about `bytes` bytes from a 3,000-word vocabulary: compresses about as badly as real news text. */
const prose = (bytes: number, seed: number): string => {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const vocabulary = Array.from({ length: 3000 }, (_, i) => ((i * 2654435761) >>> 0).toString(36));
  const words: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word = vocabulary[Math.floor(next() * vocabulary.length)] ?? 'word';
    words.push(word);
    length += word.length + 1;
  }
  // Paragraphs of 80 words, so the record has the shape of an article.
  const paragraphs: string[] = [];
  for (let i = 0; i < words.length; i += 80) paragraphs.push(words.slice(i, i + 80).join(' '));
  return paragraphs.join('\n');
};

/** Made once per key and seed: building a 1 MB record takes about half a second. */
const made = new Map<string, Article>();
const big = (key: string, seed: number): Article => {
  const known = made.get(`${key}#${seed}`);
  if (known) return known;
  const article = build(key, seed, 990_000);
  made.set(`${key}#${seed}`, article);
  return article;
};
const build = (key: string, seed: number, bytes: number): Article => {
  const text = `${articleText({ headline: `Long read ${seed}`, date: '2024-11-13', people: ['Wang Yi'] })}\n${prose(bytes, seed)}`;
  const result = standInNormalise(Buffer.from(text), key);
  if (isRejection(result)) throw new Error(result.detail);
  return result;
};
const small = (key: string): Article => {
  const result = standInNormalise(Buffer.from(articleText({ headline: 'Short', date: '2024-11-14' })), key);
  if (isRejection(result)) throw new Error(result.detail);
  return result;
};

const setup = async (bodies?: BodyStore) => {
  const s3 = services.s3;
  if (!s3) throw new Error('s3rver did not start');
  const table = await services.newTable();
  const store = bodies ?? makeS3BodyStore({ client: s3.client, bucket: services.bodyBucket });
  const writer = makeRecordWriter({ client: services.dynamo.client, tableName: table, bodies: store });
  const reader = makeArticleReader({
    client: services.dynamo.client,
    tableName: table,
    loadBodies: async () => store,
  });
  const objects = async () => {
    const out = await s3.client.send(new ListObjectsV2Command({ Bucket: services.bodyBucket }));
    return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
  };
  const record = async (id: string) =>
    (await services.scanAll(table)).find((i) => i.pk === `ART#${id}` && i.sk === 'RECORD');
  return { table, writer, reader, objects, record };
};

const ingest = (writer: ReturnType<typeof makeRecordWriter>, sequencer: string, article: Article) =>
  writer.write(ingestRequest(article, sequencer.padStart(16, '0')));

/** Each test uses its own keys, so the body bucket (shared by the file) is looked at per article id. */
const under = (keys: string[], id: string) => keys.filter((k) => k.startsWith(`bodies/${id}/`));
/** The body object's key is derived from the compressed article. */
const keyOf = (article: Article) => bodyKeyFor(article.id, encodeBody(article));

describe('article bodies too large for their record', () => {
  it('stores a 990 KB article whole, the body in the bucket under a key from its content, and serves it', async () => {
    const { writer, reader, objects, record } = await setup();
    const article = big('long-read.txt', 1);
    expect(article.source.size).toBeGreaterThan(960_000);
    expect(article.source.size).toBeLessThanOrEqual(MAX_ARTICLE_BYTES);
    const id = articleIdForKey('long-read.txt');
    expect(await ingest(writer, '0A', article)).toMatchObject({ recorded: 'ingested', effect: 'written' });
    const item = await record(id);
    expect(item?.body).toBeUndefined();
    expect(item?.bodyKey).toBe(keyOf(article));
    expect(under(await objects(), id)).toEqual([keyOf(article)]);
    expect(JSON.parse((await reader.getArticle(id))?.json ?? 'null')).toEqual(article);
  });

  it('never deletes a body: a re-upload of the same content names the same object, a change a new one', async () => {
    const { writer, reader, objects, record } = await setup();
    const id = articleIdForKey('replaced.txt');
    await ingest(writer, '01', big('replaced.txt', 2));
    await ingest(writer, '02', big('replaced.txt', 2));
    expect(under(await objects(), id)).toEqual([keyOf(big('replaced.txt', 2))]);
    await ingest(writer, '03', big('replaced.txt', 3));
    expect((await record(id))?.bodyKey).toBe(keyOf(big('replaced.txt', 3)));
    // The older body stays until the verifier's sweep finds nothing points at it (and it is an hour old).
    expect(under(await objects(), id)).toEqual(
      [keyOf(big('replaced.txt', 2)), keyOf(big('replaced.txt', 3))].sort(),
    );
    // A small version fits its record.
    await ingest(writer, '04', small('replaced.txt'));
    expect((await record(id))?.bodyKey).toBeUndefined();
    expect(JSON.parse((await reader.getArticle(id))?.json ?? 'null')).toEqual(small('replaced.txt'));
    await writer.write(deleteRequest('replaced.txt', '0000000000000006'));
    expect(await reader.getArticle(id)).toBeNull();
  });

  it('a stale event puts its body but never changes what the record points at', async () => {
    const { writer, reader, record } = await setup();
    const id = articleIdForKey('stale.txt');
    await ingest(writer, '05', big('stale.txt', 5));
    expect(await ingest(writer, '04', big('stale.txt', 6))).toMatchObject({ effect: 'stale' });
    expect(await ingest(writer, '05', big('stale.txt', 5))).toMatchObject({ effect: 'duplicate' });
    expect((await record(id))?.bodyKey).toBe(keyOf(big('stale.txt', 5)));
    expect(JSON.parse((await reader.getArticle(id))?.json ?? 'null')).toEqual(big('stale.txt', 5));
  });

  it('is exactly-once when the writer dies between the body put and the record write', async () => {
    const s3 = services.s3;
    if (!s3) throw new Error('s3rver did not start');
    const real = makeS3BodyStore({ client: s3.client, bucket: services.bodyBucket });
    let crash = true;
    const crashing: BodyStore = {
      ...real,
      async put(key, body) {
        await real.put(key, body);
        if (crash) throw new Error('the Lambda died here');
      },
    };
    const { writer, reader, objects, record } = await setup(crashing);
    const id = articleIdForKey('crash.txt');
    await expect(ingest(writer, '07', big('crash.txt', 7))).rejects.toThrow(/died/);
    expect(await record(id)).toBeUndefined();
    crash = false;
    expect(await ingest(writer, '07', big('crash.txt', 7))).toMatchObject({ effect: 'written' });
    expect(under(await objects(), id)).toEqual([keyOf(big('crash.txt', 7))]);
    expect(JSON.parse((await reader.getArticle(id))?.json ?? 'null')).toEqual(big('crash.txt', 7));
  });

  it('records a too-large rejection when the writer has no body bucket', async () => {
    const table = await services.newTable();
    const writer = makeRecordWriter({ client: services.dynamo.client, tableName: table });
    expect(await ingest(writer, '01', big('nowhere.txt', 8))).toMatchObject({ recorded: 'rejected' });
    const item = (await services.scanAll(table)).find((i) => i.sk === 'RECORD');
    expect(item).toMatchObject({ status: 'rejected', reason: 'too-large' });
  });
});
