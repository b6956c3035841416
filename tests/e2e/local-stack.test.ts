import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { articleIdForKey } from '../../functions/core/article';
import { makeLocalS3Client, startS3Local } from '../../infra/local/s3-local';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import {
  BINARY_BYTES,
  HARBOUR_ARTICLE,
  HARBOUR_ARTICLE_REVISED,
  LIBRARY_ARTICLE,
  longArticle,
} from './articles';

/**
 * The whole pipeline on one machine, over real sockets: s3rver -> bridge -> queue -> ingest handler ->
 * DynamoDB Local, and HTTP -> API handler. Protects what a user of `npm start` relies on: uploads become
 * lookups, odd keys survive URL encoding, bad files get a reason, overwrites and deletes are followed, and the
 * data outlives a restart.
 */
const SEEDS = resolve(import.meta.dirname, '../../seeds');
const SEED_KEY = readdirSync(SEEDS).filter((f) => !f.startsWith('.'))[0] ?? '';

const KEYS = {
  harbour: 'e2e/harbour wall.txt',
  library: 'e2e/library + reading room (draft).txt',
  empty: 'e2e/empty.txt',
  binary: 'e2e/photo.png',
  lost: 'e2e/uploaded while stopped.txt',
  long: 'e2e/long read.txt',
} as const;

const UploadSchema = z.object({
  key: z.string(),
  status: z.enum(['ingested', 'rejected', 'deleted']),
  articleId: z.string().optional(),
  reason: z.string().optional(),
});
const ArticleSchema = z.object({
  id: z.string(),
  headline: z.string(),
  publishedDate: z.string().nullable(),
  paragraphs: z.array(z.string()),
  people: z.array(z.object({ name: z.string() })),
  keywords: z.array(z.string()),
  source: z.object({ key: z.string() }),
});
const ListSchema = z.object({
  items: z.array(z.object({ id: z.string() }).passthrough()),
  nextCursor: z.string().nullable(),
});

describe('local stack end to end', () => {
  let dataDir: string;
  let stack: LocalStack;
  let s3: S3Client;

  const get = async (path: string) => {
    const res = await fetch(`${stack.apiUrl}${path}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.json() };
  };
  const upload = (key: string) => `/uploads/${key.split('/').map(encodeURIComponent).join('/')}`;
  const put = async (key: string, body: string | Buffer) => {
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
  };
  const start = async () => {
    stack = await startLocalStack({ dataDir, seedsDir: SEEDS });
    s3 = makeLocalS3Client(stack.s3Endpoint);
  };
  const stop = async () => {
    s3?.destroy();
    await stack?.stop();
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-e2e-'));
    await start();
    await stack.waitForIdle();
    await put(KEYS.harbour, HARBOUR_ARTICLE);
    await put(KEYS.library, LIBRARY_ARTICLE);
    await put(KEYS.empty, Buffer.alloc(0));
    await put(KEYS.binary, BINARY_BYTES);
    await stack.waitForIdle();
  });
  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ingests the seed on start', async () => {
    const outcome = UploadSchema.parse((await get(upload(SEED_KEY))).body);
    expect(outcome).toMatchObject({ status: 'ingested', articleId: articleIdForKey(SEED_KEY) });
    const article = ArticleSchema.parse((await get(`/articles/${outcome.articleId}`)).body);
    expect(article.publishedDate).toBe('2024-11-13');
  });

  it('ingests uploaded articles, including keys with spaces, a plus sign and parentheses', async () => {
    for (const key of [KEYS.harbour, KEYS.library]) {
      const res = await get(upload(key));
      expect(res.status).toBe(200);
      expect(UploadSchema.parse(res.body)).toMatchObject({
        key,
        status: 'ingested',
        articleId: articleIdForKey(key),
      });
      const article = ArticleSchema.parse((await get(`/articles/${articleIdForKey(key)}`)).body);
      expect(article.source.key).toBe(key);
    }
    const harbour = ArticleSchema.parse((await get(`/articles/${articleIdForKey(KEYS.harbour)}`)).body);
    expect(harbour).toMatchObject({ publishedDate: '2025-03-04' });
    expect(harbour.paragraphs).toHaveLength(5);
    expect(harbour.people.map((p) => p.name)).toContain('Helena Trask');
  });

  it('rejects an empty file and a binary file with a reason', async () => {
    expect(UploadSchema.parse((await get(upload(KEYS.empty))).body)).toMatchObject({
      status: 'rejected',
      reason: 'empty',
    });
    expect(UploadSchema.parse((await get(upload(KEYS.binary))).body)).toMatchObject({
      status: 'rejected',
      reason: 'not-text',
    });
    expect((await get(`/articles/${articleIdForKey(KEYS.empty)}`)).status).toBe(404);
  });

  it('answers every API route over HTTP', async () => {
    expect(await get('/health')).toMatchObject({ status: 200 });
    const openapi = await get('/openapi.json');
    expect(openapi.body).toMatchObject({ openapi: expect.stringMatching(/^3\.1/) });

    const byDate = ListSchema.parse((await get('/articles?from=2025-03-01&to=2025-03-31')).body);
    expect(byDate.items.map((i) => i.id)).toEqual([
      articleIdForKey(KEYS.library),
      articleIdForKey(KEYS.harbour),
    ]);
    const firstPage = ListSchema.parse((await get('/articles?limit=1')).body);
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.nextCursor).not.toBeNull();
    const second = ListSchema.parse(
      (await get(`/articles?limit=1&cursor=${encodeURIComponent(firstPage.nextCursor ?? '')}`)).body,
    );
    expect(second.items[0]?.id).not.toBe(firstPage.items[0]?.id);

    const people = await get('/entities?type=person&prefix=hel');
    expect(people.status).toBe(200);
    expect(JSON.stringify(people.body)).toContain('Helena Trask');
    const mentions = ListSchema.parse((await get('/entities/person/Helena%20Trask/articles')).body);
    expect(mentions.items.map((i) => i.id)).toEqual([articleIdForKey(KEYS.harbour)]);

    const library = ArticleSchema.parse((await get(`/articles/${articleIdForKey(KEYS.library)}`)).body);
    const keyword = library.keywords[0] ?? 'missing';
    const search = ListSchema.parse((await get(`/search?q=${encodeURIComponent(keyword)}`)).body);
    expect(search.items.map((i) => i.id)).toContain(articleIdForKey(KEYS.library));

    const missing = await get('/articles/0000000000000000');
    expect(missing.status).toBe(404);
    expect(missing.type).toContain('application/problem+json');
    const bad = await get('/articles?from=yesterday');
    expect(bad.status).toBe(400);
    expect((await get('/no/such/route')).status).toBe(404);
  });

  it('stores a 990 KB article whole (its body in the second bucket) and serves it', async () => {
    await put(KEYS.long, longArticle(990_000));
    await stack.waitForIdle();
    const outcome = UploadSchema.parse((await get(upload(KEYS.long))).body);
    expect(outcome).toMatchObject({ status: 'ingested' });
    const article = ArticleSchema.parse((await get(`/articles/${articleIdForKey(KEYS.long)}`)).body);
    expect(article.paragraphs.join(' ').length).toBeGreaterThan(960_000);
    const bodies = await s3.send(new ListObjectsV2Command({ Bucket: `${stack.bucket}-bodies` }));
    expect(bodies.Contents?.map((o) => o.Key)).toEqual([
      expect.stringMatching(new RegExp(`^bodies/${articleIdForKey(KEYS.long)}/`)),
    ]);
  }, 120_000);

  it('follows an overwrite and a delete', async () => {
    const id = articleIdForKey(KEYS.harbour);
    await put(KEYS.harbour, HARBOUR_ARTICLE_REVISED);
    await stack.waitForIdle();
    const revised = ArticleSchema.parse((await get(`/articles/${id}`)).body);
    expect(revised.publishedDate).toBe('2025-03-05');
    expect(ListSchema.parse((await get('/articles?from=2025-03-04&to=2025-03-04')).body).items).toEqual([]);

    await s3.send(new DeleteObjectCommand({ Bucket: stack.bucket, Key: KEYS.harbour }));
    await stack.waitForIdle();
    expect((await get(`/articles/${id}`)).status).toBe(404);
    expect(UploadSchema.parse((await get(upload(KEYS.harbour))).body).status).toBe('deleted');
    const mentions = ListSchema.parse((await get('/entities/person/Helena%20Trask/articles')).body);
    expect(mentions.items).toEqual([]);
  });

  it('keeps everything across a restart on the same data folder, and recovers a lost event', async () => {
    await stop();
    // An upload whose event never reached the queue (s3rver running without the bridge, as after a crash).
    const bare = await startS3Local({ directory: join(dataDir, 's3'), buckets: [stack.bucket] });
    await bare.client.send(
      new PutObjectCommand({ Bucket: stack.bucket, Key: KEYS.lost, Body: LIBRARY_ARTICLE }),
    );
    await bare.stop();
    await start();
    expect(await stack.seeded).toEqual([]);
    await stack.waitForIdle();
    expect(UploadSchema.parse((await get(upload(SEED_KEY))).body).status).toBe('ingested');
    expect(
      ArticleSchema.parse((await get(`/articles/${articleIdForKey(KEYS.library)}`)).body).publishedDate,
    ).toBe('2025-03-06');
    expect(UploadSchema.parse((await get(upload(KEYS.harbour))).body).status).toBe('deleted');
    expect(UploadSchema.parse((await get(upload(KEYS.lost))).body).status).toBe('ingested');
    expect(stack.queue.deadLetters()).toEqual([]);
  });
});
