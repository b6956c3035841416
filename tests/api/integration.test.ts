import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApiHandler } from '../../functions/api/app';
import { articleIdForKey } from '../../functions/core/article';
import { type Article, isRejection, normaliseArticle } from '../../functions/core/index';
import { makeArticleReader } from '../../functions/store/article-reader';
import { httpEvent, makeArticle, TEST_CURSOR_KEYS } from './fixtures';
import { infra } from './integration-setup';
import { makeOpenApiValidator } from './openapi-validator';
import { makeSeeder } from './seed-store';

/**
 * The API over DynamoDB Local holding the seed article (normalised by the real core) and articles written for
 * these tests. Every response is checked against the OpenAPI document.
 */
const SEED_KEY = '000_bd00a772a06d1794.txt';
const REJECTED_KEY = 'inbox/2024 week 46/notes+draft.txt';
const validate = makeOpenApiValidator();
const stack = infra('api-it');
let seed: Article;
type Item = Record<string, unknown>;
/** Response bodies, already checked against the OpenAPI document by `call`. */
type Body = { items: Item[]; nextCursor: string | null } & Item;
let call: (
  target: string,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: Body; headers: Record<string, string> }>;

// 24 dated fixtures, 2024-11-01..2024-11-24; every third mentions Maria Lopez; every other one is about the budget in Leeds.
const fixtures = Array.from({ length: 24 }, (_, i) =>
  makeArticle({
    key: `fixtures/day-${i + 1}.txt`,
    headline: `Day ${i + 1} report`,
    publishedDate: `2024-11-${String(i + 1).padStart(2, '0')}`,
    people: i % 3 === 0 ? [['Maria Lopez', 1 + (i % 4)]] : [],
    places: i % 2 === 0 ? [['Leeds', 2]] : [],
    keywords: i % 2 === 0 ? ['budget', 'council'] : ['council'],
  }),
);
const undated = makeArticle({
  key: 'fixtures/undated.txt',
  headline: 'Undated profile',
  publishedDate: null,
  people: [['Maria Lopez', 5]],
});

beforeAll(async () => {
  const { client, tableName } = await stack.start();
  const seeder = makeSeeder(client, tableName);
  const result = normaliseArticle(
    readFileSync(resolve(import.meta.dirname, '../../seeds', SEED_KEY)),
    SEED_KEY,
  );
  if (isRejection(result)) throw new Error(`seed rejected: ${result.detail}`);
  seed = result;
  for (const article of [seed, ...fixtures, undated]) await seeder.article(article);
  await seeder.rejected(
    articleIdForKey(REJECTED_KEY),
    REJECTED_KEY,
    'too-short',
    'the file holds 5 words; an article needs at least 20',
  );
  await seeder.addToCatalogue('person', 'Gone Person', 1);
  await seeder.addToCatalogue('person', 'Gone Person', -1);
  const app = makeApiHandler({
    reader: makeArticleReader({ client, tableName }),
    cursorKeys: TEST_CURSOR_KEYS,
    corsAllowOrigins: [],
  });
  call = async (target, headers = {}) => {
    const response = await app(httpEvent(target, { headers }));
    validate('GET', target, response);
    return {
      status: response.statusCode ?? 0,
      body: response.body ? JSON.parse(response.body) : undefined,
      headers: Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k, String(v)])),
    };
  };
}, 120_000);

afterAll(() => stack.stop());

/** Follows nextCursor to the end, returning every item and the number of pages. */
const collect = async (target: string) => {
  const items: Item[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const sep = target.includes('?') ? '&' : '?';
    const res = await call(cursor ? `${target}${sep}cursor=${encodeURIComponent(cursor)}` : target);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { items, pages };
};

describe('API over DynamoDB Local', () => {
  it('serves the ingested seed article as the core normalised it, with a working ETag', async () => {
    const res = await call(`/articles/${seed.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(seed);
    const again = await call(`/articles/${seed.id}`, { 'if-none-match': res.headers.etag ?? '' });
    expect(again.status).toBe(304);
  });

  it('lists a date range newest first across pages, each article once', async () => {
    const { items, pages } = await collect('/articles?from=2024-11-05&to=2024-11-20&limit=5');
    const expected = [seed, ...fixtures]
      .filter((a) => a.publishedDate && a.publishedDate >= '2024-11-05' && a.publishedDate <= '2024-11-20')
      .map((a) => `${a.publishedDate}#${a.id}`)
      .sort()
      .reverse();
    expect(expected).toHaveLength(17);
    expect(items.map((i) => `${i.publishedDate}#${i.id}`)).toEqual(expected);
    expect(pages).toBe(4);
  });

  it('lists articles mentioning an entity, any case, undated last, and resolves a surname', async () => {
    const { items } = await collect('/entities/person/MARIA%20LOPEZ/articles?limit=3');
    const expected = fixtures
      .filter((a) => a.people.length > 0)
      .map((a) => a.id)
      .reverse();
    expect(items.map((i) => i.id)).toEqual([...expected, undated.id]);
    const alias = await call('/entities/person/lopez/articles?limit=100');
    expect(alias.body.matched).toBe('Maria Lopez');
    expect(alias.body.items.map((i) => i.id)).toEqual([...expected, undated.id]);
    const unknown = await call('/entities/person/nobody/articles');
    expect(unknown.body).toEqual({ items: [], nextCursor: null });
  });

  it('lists entities by prefix with counts, leaving out those whose count fell to 0', async () => {
    const res = await call('/entities?type=person&prefix=MA');
    expect(res.body.items).toContainEqual({ type: 'person', name: 'Maria Lopez', articleCount: 9 });
    expect((await call('/entities?type=person&prefix=gone')).body.items).toEqual([]);
    const places = await collect('/entities?type=place&limit=1');
    expect(places.items.map((e) => e.name)).toContain('Leeds');
  });

  it('searches with all words ANDed, best first, paged', async () => {
    const { items } = await collect('/search?q=Budget%20LEEDS&limit=4');
    expect(items.map((i) => i.id).sort()).toEqual(
      fixtures
        .filter((_, i) => i % 2 === 0)
        .map((a) => a.id)
        .sort(),
    );
    const scores = items.map((i) => Number(i.score));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const none = await call('/search?q=budget%20nonexistentword');
    expect(none.body.items).toEqual([]);
    const keyword = seed.keywords[0] ?? 'shoigu';
    const hits = await call(`/search?q=${encodeURIComponent(keyword)}`);
    expect(hits.body.items.map((i) => i.id)).toContain(seed.id);
  });

  it('answers upload outcomes by key, slashes sent plain or encoded', async () => {
    const encoded = REJECTED_KEY.split('/').map(encodeURIComponent).join('/');
    for (const path of [`/uploads/${encoded}`, `/uploads/${encodeURIComponent(REJECTED_KEY)}`]) {
      const res = await call(path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ key: REJECTED_KEY, status: 'rejected', reason: 'too-short' });
    }
    expect((await call(`/uploads/${SEED_KEY}`)).body).toMatchObject({
      status: 'ingested',
      articleId: seed.id,
    });
    expect((await call('/uploads/never/uploaded.txt')).status).toBe(404);
  });
});
