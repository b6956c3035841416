import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Article, articleIdForKey, isRejection, MAX_ARTICLE_BYTES } from '../../functions/core/article';
import { type BodyStore, bodyKeyFor, makeS3BodyStore } from '../../functions/store/article-body';
import { makeArticleReader } from '../../functions/store/article-reader';
import { makeArticleWriter } from '../../functions/store/article-writer';
import { SequencerSchema } from '../../functions/store/upload-outcome';
import { type LocalServices, startLocalServices } from '../support/local-services';
import { articleText, standInNormalise } from '../support/stand-in-core';

/**
 * Articles up to MAX_ARTICLE_BYTES are stored whole: a body too big for its item goes to the body bucket
 * (s3rver's second bucket here), written before the item and removed with it.
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

const seq = (raw: string) => SequencerSchema.parse(raw);

const setup = async (bodies?: BodyStore) => {
  const s3 = services.s3;
  if (!s3) throw new Error('s3rver did not start');
  const table = await services.newTable();
  const store = bodies ?? makeS3BodyStore({ client: s3.client, bucket: services.bodyBucket });
  const writer = makeArticleWriter({ client: services.dynamo.client, tableName: table, bodies: store });
  const reader = makeArticleReader({
    client: services.dynamo.client,
    tableName: table,
    loadBodies: async () => store,
  });
  const objects = async () => {
    const out = await s3.client.send(new ListObjectsV2Command({ Bucket: services.bodyBucket }));
    return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
  };
  const articleItem = async (id: string) =>
    (await services.scanAll(table)).find((i) => i.pk === `ART#${id}` && i.sk === 'ARTICLE');
  return { table, writer, reader, objects, articleItem };
};

const ingest = (
  writer: ReturnType<typeof makeArticleWriter>,
  key: string,
  sequencer: string,
  article: Article,
) => writer.write({ key, sequencer: seq(sequencer), change: { kind: 'ingested', article } });

/** Each test uses its own keys, so the body bucket (shared by the file) is looked at per article id. */
const under = (keys: string[], id: string) => keys.filter((k) => k.startsWith(`bodies/${id}/`));

describe('article bodies past the item limit', () => {
  it('stores a 990 KB article whole, the body in the bucket and its key in the item, and serves it', async () => {
    const { writer, reader, objects, articleItem } = await setup();
    const article = big('long-read.txt', 1);
    expect(article.source.size).toBeGreaterThan(960_000);
    expect(article.source.size).toBeLessThanOrEqual(MAX_ARTICLE_BYTES);
    const id = articleIdForKey('long-read.txt');
    const result = await ingest(writer, 'long-read.txt', '0A', article);
    expect(result).toMatchObject({ recorded: 'ingested', effect: 'written' });
    expect(result.rejection).toBeUndefined();
    const item = await articleItem(id);
    expect(item?.body).toBeUndefined();
    expect(item?.bodyKey).toBe(bodyKeyFor(id, seq('0A')));
    expect(under(await objects(), id)).toEqual([bodyKeyFor(id, seq('0A'))]);
    const stored = await reader.getArticle(id);
    expect(JSON.parse(stored?.json ?? 'null')).toEqual(article);
  });

  it('keeps the body of an unchanged re-upload, replaces it on a change and removes it on delete', async () => {
    const { writer, reader, objects } = await setup();
    const id = articleIdForKey('replaced.txt');
    await ingest(writer, 'replaced.txt', '01', big('replaced.txt', 2));
    expect(await ingest(writer, 'replaced.txt', '02', big('replaced.txt', 2))).toMatchObject({
      effect: 'unchanged',
    });
    expect(under(await objects(), id)).toEqual([bodyKeyFor(id, seq('01'))]);
    await ingest(writer, 'replaced.txt', '03', big('replaced.txt', 3));
    expect(under(await objects(), id)).toEqual([bodyKeyFor(id, seq('03'))]);
    // A small version fits its item: the big body goes.
    await ingest(writer, 'replaced.txt', '04', small('replaced.txt'));
    expect(under(await objects(), id)).toEqual([]);
    expect(JSON.parse((await reader.getArticle(id))?.json ?? 'null')).toEqual(small('replaced.txt'));
    await ingest(writer, 'replaced.txt', '05', big('replaced.txt', 4));
    await writer.write({ key: 'replaced.txt', sequencer: seq('06'), change: { kind: 'deleted' } });
    expect(under(await objects(), id)).toEqual([]);
    expect(await reader.getArticle(id)).toBeNull();
  });

  it('leaves no body behind for a stale event, and keeps the one the stored item points to', async () => {
    const { writer, reader, objects } = await setup();
    const id = articleIdForKey('stale.txt');
    await ingest(writer, 'stale.txt', '05', big('stale.txt', 5));
    expect(await ingest(writer, 'stale.txt', '04', big('stale.txt', 6))).toMatchObject({ effect: 'stale' });
    expect(under(await objects(), id)).toEqual([bodyKeyFor(id, seq('05'))]);
    // The duplicate of the stored event was put by nobody else: it must not remove the live body.
    expect(await ingest(writer, 'stale.txt', '05', big('stale.txt', 5))).toMatchObject({
      effect: 'duplicate',
    });
    expect(JSON.parse((await reader.getArticle(id))?.json ?? 'null')).toEqual(big('stale.txt', 5));
  });

  it('is exactly-once when the writer dies between the body put and the item write', async () => {
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
    const { writer, reader, objects, articleItem } = await setup(crashing);
    const id = articleIdForKey('crash.txt');
    await expect(ingest(writer, 'crash.txt', '07', big('crash.txt', 7))).rejects.toThrow(/died/);
    expect(await articleItem(id)).toBeUndefined();
    crash = false;
    expect(await ingest(writer, 'crash.txt', '07', big('crash.txt', 7))).toMatchObject({
      effect: 'written',
    });
    expect(under(await objects(), id)).toEqual([bodyKeyFor(id, seq('07'))]);
    expect(JSON.parse((await reader.getArticle(id))?.json ?? 'null')).toEqual(big('crash.txt', 7));
  });

  it('records a too-large rejection when the writer has no body bucket', async () => {
    const table = await services.newTable();
    const writer = makeArticleWriter({ client: services.dynamo.client, tableName: table });
    const result = await ingest(writer, 'nowhere.txt', '01', big('nowhere.txt', 8));
    expect(result).toMatchObject({ recorded: 'rejected', rejection: { reason: 'too-large' } });
  });
});
