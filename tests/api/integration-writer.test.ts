import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApiHandler } from '../../functions/api/app';
import { type Article, isRejection, normaliseArticle } from '../../functions/core/index';
import { makeArticleReader } from '../../functions/store/article-reader';
import { deleteRequest, ingestRequest, startStorePipeline } from '../support/store-pipeline';
import { httpEvent, makeArticle, TEST_CURSOR_KEYS } from './fixtures';
import { infra } from './integration-setup';
import { makeOpenApiValidator } from './openapi-validator';

/**
 * The reader against what the real ingest and stream consumers store: the contract between the halves of the
 * store. Re-ingest and delete must leave no stale entry behind that the API would serve.
 */
const stack = infra('api-writer-it');
const validate = makeOpenApiValidator();
let app: ReturnType<typeof makeApiHandler>;
/** The ingest's record writer, each write followed by the stream consumers catching up (as a quiet pipeline is). */
let pipeline: Awaited<ReturnType<typeof startStorePipeline>>;
const ingest = (article: Article) => pipeline.write(ingestRequest(article));

const call = async (target: string) => {
  const response = await app(httpEvent(target));
  validate('GET', target, response);
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
};
const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);

const SEED_KEY = '000_bd00a772a06d1794.txt';
let seed: Article;
const first = makeArticle({
  key: 'desk/first.txt',
  headline: 'Ferry service returns',
  publishedDate: '2024-11-10',
  people: [['Ana Ferreira', 2]],
  places: [['Orkney', 3]],
  keywords: ['ferry'],
});

beforeAll(async () => {
  const { client, tableName, endpoint } = await stack.start();
  pipeline = await startStorePipeline({ client, tableName, endpoint });
  app = makeApiHandler({
    reader: makeArticleReader({ client, tableName }),
    cursorKeys: TEST_CURSOR_KEYS,
    corsAllowOrigins: [],
  });
  const result = normaliseArticle(
    readFileSync(resolve(import.meta.dirname, '../../seeds', SEED_KEY)),
    SEED_KEY,
  );
  if (isRejection(result)) throw new Error(`seed rejected: ${result.detail}`);
  seed = result;
  await ingest(seed);
  await ingest(first);
}, 120_000);

afterAll(async () => {
  await pipeline?.stop();
  await stack.stop();
});

describe('API over what the ingest writer stores', () => {
  it('serves the seed by id, by date, by entity, by search and by upload key', async () => {
    expect((await call(`/articles/${seed.id}`)).body).toEqual(seed);
    // The seed has a date, people and keywords; if a core change lost them, this test must say so, not pass.
    expect(seed.publishedDate).toBe('2024-11-13');
    const day = await call(`/articles?from=${seed.publishedDate}&to=${seed.publishedDate}`);
    expect(ids(day.body)).toContain(seed.id);
    const person = seed.people[0];
    expect(person?.name).toEqual(expect.any(String));
    const res = await call(
      `/entities/person/${encodeURIComponent(person?.name.toUpperCase() ?? '')}/articles`,
    );
    expect(ids(res.body)).toContain(seed.id);
    // Asked in capitals, answered with the canonical name as the article spells it.
    expect(res.body.matched).toBe(person?.name);
    const keyword = seed.keywords[0];
    expect(keyword).toEqual(expect.any(String));
    expect(ids((await call(`/search?q=${encodeURIComponent(keyword ?? '')}`)).body)).toContain(seed.id);
    expect((await call(`/uploads/${SEED_KEY}`)).body).toMatchObject({
      status: 'ingested',
      articleId: seed.id,
    });
  });

  it('follows a re-ingest: new headline everywhere, dropped entities no longer list the article', async () => {
    await ingest({
      ...first,
      headline: 'Ferry service returns early',
      places: [],
      contentHash: `${first.contentHash}2`,
    });
    expect((await call(`/articles/${first.id}`)).body.headline).toBe('Ferry service returns early');
    const byDate = await call('/articles?from=2024-11-10&to=2024-11-10');
    expect(byDate.body.items).toContainEqual({
      id: first.id,
      headline: 'Ferry service returns early',
      publishedDate: '2024-11-10',
    });
    expect(ids((await call('/entities/place/orkney/articles')).body)).not.toContain(first.id);
    expect((await call('/entities?type=place&prefix=ork')).body.items).toEqual([]);
    expect((await call('/entities/person/ferreira/articles')).body.matched).toBe('Ana Ferreira');
  });

  it('follows a delete: 404 by id, gone from lists, outcome deleted', async () => {
    await pipeline.write(deleteRequest(first.source.key));
    expect((await call(`/articles/${first.id}`)).status).toBe(404);
    expect(ids((await call('/articles?from=2024-11-10&to=2024-11-10')).body)).not.toContain(first.id);
    expect(ids((await call('/search?q=ferry')).body)).not.toContain(first.id);
    expect((await call('/entities?type=person&prefix=ana')).body.items).toEqual([]);
    expect((await call(`/uploads/${first.source.key}`)).body).toMatchObject({ status: 'deleted' });
  });
});
