import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeCursorCodec } from '../../functions/api/cursor';
import { fixedCursorKeys } from '../../functions/api/cursor-keys';
import { keys } from '../../functions/store/keys';
import { driverOf, matchWindow, SEARCH_WINDOW_MAX, searchWindow } from '../../functions/store/read-search';
import { TEST_CURSOR_SECRET } from './fixtures';
import { bodyOf, makeMockedApi } from './mock-app';

/**
 * GET /search over a mocked table that answers Query like DynamoDB does on a term partition: entries sorted by
 * sort key (heaviest first), at most `Limit` of them from after `ExclusiveStartKey`, LastEvaluatedKey when it
 * stopped at the limit. The reader and the app are real.
 */
const ddb = mockClient(DynamoDBDocumentClient);
const { call } = makeMockedApi();
const queries = () => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);

interface Doc {
  id: string;
  terms: Record<string, number>;
}

const serve = (docs: Doc[]) => {
  const partitions = new Map<string, Record<string, unknown>[]>();
  for (const doc of docs)
    for (const [term, weight] of Object.entries(doc.terms)) {
      const key = keys.term(term, weight, doc.id);
      const list = partitions.get(key.pk) ?? [];
      list.push({
        ...key,
        id: doc.id,
        headline: `Headline ${doc.id}`,
        publishedDate: null,
        weight,
        terms: doc.terms,
      });
      partitions.set(key.pk, list);
    }
  for (const list of partitions.values()) list.sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1));
  ddb.on(QueryCommand).callsFake((input) => {
    const list = partitions.get(input.ExpressionAttributeValues[':pk']) ?? [];
    const after = input.ExclusiveStartKey?.sk;
    const from = after === undefined ? 0 : list.findIndex((e) => String(e.sk) > after);
    const rest = from < 0 ? [] : list.slice(from);
    const Items = rest.slice(0, input.Limit);
    const more = rest.length > input.Limit;
    const last = Items.at(-1);
    return { Items, ...(more && last ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk } } : {}) };
  });
};

type Hit = { id: string; score: number };

/** Every page of a search, following nextCursor to the end. */
const collect = async (q: string, limit: number) => {
  const pages: Hit[][] = [];
  let cursor: string | null = null;
  do {
    const res = await call(
      `/search?q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.statusCode).toBe(200);
    const body = bodyOf(res);
    pages.push(body.items);
    cursor = body.nextCursor;
    expect(pages.length).toBeLessThan(500);
  } while (cursor);
  return pages;
};

const id = (n: number) => `a${String(n).padStart(4, '0')}`;

beforeEach(() => ddb.reset());

describe('GET /search', () => {
  it('reads the longest word only, one bounded Query per page, and pages a one-word search best first', async () => {
    // 260 articles: more than two windows. Weights repeat, so ties (broken by id) are covered too.
    serve(Array.from({ length: 260 }, (_, n) => ({ id: id(n), terms: { budget: (n * 7) % 23 } })));
    const pages = await collect('budget', 7);
    const hits = pages.flat();
    expect(hits).toHaveLength(260);
    expect(new Set(hits.map((h) => h.id)).size).toBe(260);
    for (const [i, h] of hits.entries())
      if (i > 0) expect(h.score).toBeLessThanOrEqual(hits[i - 1]?.score ?? 0);
    expect(queries()).toHaveLength(pages.length);
    for (const q of queries()) {
      expect(q.Limit).toBe(searchWindow(7));
      expect(q.ExpressionAttributeValues).toEqual({ ':pk': 'TERM#budget' });
    }
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('keeps articles holding every word, across windows, whatever the word order', async () => {
    // Driver "budget" holds 300 articles; "leeds" only every 37th, most of them beyond the first window.
    const docs = Array.from(
      { length: 300 },
      (_, n): Doc => ({
        id: id(n),
        terms: n % 37 === 0 ? { budget: 300 - n, leeds: 2 } : { budget: 300 - n, york: 1 },
      }),
    );
    serve(docs);
    const wanted = docs.filter((d) => 'leeds' in d.terms).map((d) => d.id);
    expect(wanted.some((w) => Number(w.slice(1)) >= searchWindow(2))).toBe(true);
    for (const q of ['budget leeds', 'LEEDS, the budget']) {
      ddb.resetHistory();
      const pages = await collect(q, 2);
      const hits = pages.flat();
      expect(hits.map((h) => h.id)).toEqual(wanted);
      expect(hits[0]).toMatchObject({ score: 302 });
      // Short pages are expected: a window holds few full matches. Still one Query per page.
      expect(queries()).toHaveLength(pages.length);
      expect(queries().every((q) => q.ExpressionAttributeValues?.[':pk'] === 'TERM#budget')).toBe(true);
    }
  });

  it('never reads more than one window per page, at any limit', async () => {
    serve(Array.from({ length: 400 }, (_, n) => ({ id: id(n), terms: { ferry: n % 5, harbour: 1 } })));
    for (const limit of [1, 20, 50, 100]) {
      ddb.resetHistory();
      const body = bodyOf(await call(`/search?q=harbour%20ferry&limit=${limit}`));
      expect(body.items.length).toBeLessThanOrEqual(limit);
      expect(body.nextCursor).toEqual(expect.any(String));
      expect(queries()).toHaveLength(1);
      expect(queries()[0]?.Limit).toBeLessThanOrEqual(SEARCH_WINDOW_MAX);
      expect(queries()[0]?.ExpressionAttributeValues).toEqual({ ':pk': 'TERM#harbour' });
    }
  });

  it('ranks a page by the summed weight of all words', async () => {
    serve([
      { id: 'a', terms: { budget: 9, leeds: 1 } },
      { id: 'b', terms: { budget: 5, leeds: 8 } },
      { id: 'c', terms: { budget: 4 } },
    ]);
    const body = bodyOf(await call('/search?q=budget%20leeds'));
    expect(body.items).toEqual([
      { id: 'b', headline: 'Headline b', publishedDate: null, score: 13 },
      { id: 'a', headline: 'Headline a', publishedDate: null, score: 10 },
    ]);
    expect(body.nextCursor).toBeNull();
  });

  it('matches an entry without a term map (written before it existed) for one word only', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        { ...keys.term('budget', 3, 'old'), id: 'old', headline: 'Old', publishedDate: null, weight: 3 },
      ],
    });
    expect(bodyOf(await call('/search?q=budget')).items).toHaveLength(1);
    expect(bodyOf(await call('/search?q=budget%20leeds')).items).toHaveLength(0);
  });

  it('answers 400 to a forged cursor, an old offset cursor and a cursor of another search', async () => {
    serve([{ id: 'a', terms: { budget: 1 } }]);
    const codec = makeCursorCodec(fixedCursorKeys(TEST_CURSOR_SECRET));
    const offset = await codec.seal(JSON.stringify(['search', [['q', 'budget']]]), 20);
    const other = await codec.seal(JSON.stringify(['search', [['q', 'leeds']]]), '999996#a');
    const forged = `${Buffer.from(JSON.stringify({ v: 1, q: 'x', p: '0#a' })).toString('base64url')}.AAAA`;
    for (const cursor of [offset, other, forged]) {
      const res = await call(`/search?q=budget&cursor=${cursor}`);
      expect(res.statusCode).toBe(400);
    }
    expect(queries()).toHaveLength(0);
  });
});

describe('driverOf', () => {
  it('picks the longest word, ties alphabetically whatever the order', () => {
    expect(driverOf(['uk', 'shoigu', 'army'])).toBe('shoigu');
    expect(driverOf(['leeds', 'ferry'])).toBe('ferry');
    expect(driverOf(['ferry', 'leeds'])).toBe('ferry');
    expect(driverOf([])).toBeUndefined();
  });
});

describe('matchWindow', () => {
  const entry = (id: string, terms: Record<string, number>) => ({
    sk: `999990#${id}`,
    id,
    headline: `Headline ${id}`,
    publishedDate: '2024-11-13',
    weight: 9,
    terms,
  });

  it('matches other words only by the entry map’s own keys: "constructor" or "toString" find nothing', () => {
    const entries = [entry('a', { international: 9, shoigu: 3 })];
    expect(matchWindow(entries, ['international', 'constructor'], 'international', 20).hits).toEqual([]);
    expect(matchWindow(entries, ['international', 'tostring'], 'international', 20).hits).toEqual([]);
    expect(matchWindow(entries, ['international', 'shoigu'], 'international', 20).hits).toEqual([
      { id: 'a', headline: 'Headline a', publishedDate: '2024-11-13', score: 12 },
    ]);
  });
});
