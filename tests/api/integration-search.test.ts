import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApiHandler } from '../../functions/api/app';
import { makeArticleReader } from '../../functions/store/article-reader';
import { derive } from '../../functions/store/derive';
import { searchWindow } from '../../functions/store/read-search';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';
import { httpEvent, makeArticle, TEST_CURSOR_KEYS } from './fixtures';
import { infra } from './integration-setup';

/**
 * GET /search over DynamoDB Local with term entries built by the one derivation (functions/store/derive.ts): paging through a
 * word held by more articles than one window, AND across windows, and read units per page that do not grow
 * with the table (DynamoDB Local reports ConsumedCapacity like DynamoDB: a Query's item sizes summed, then
 * rounded up to 4 KB, halved for an eventually consistent read).
 */
const stack = infra('search-it');
let tableName: string;
let doc: DynamoDBDocumentClient;
/** Read units of every Query the reader sent, in order. */
const readUnits: number[] = [];
let call: (target: string) => Promise<{ items: { id: string; score: number }[]; nextCursor: string | null }>;

// Article i mentions "Harbour" 1 + (i % 17) times; every 45th also has the keyword "ferry".
const articleNo = (i: number) =>
  makeArticle({
    key: `search/${i}.txt`,
    headline: `Harbour report ${String(i).padStart(4, '0')}`,
    publishedDate: '2024-11-01',
    places: [['Harbour', 1 + (i % 17)]],
    keywords: i % 45 === 0 ? ['ferry'] : ['quay'],
  });

const seed = async (from: number, to: number) => {
  const items = [];
  for (let i = from; i < to; i++)
    for (const entry of derive(articleNo(i)).entries.values())
      if (entry.pk.startsWith('TERM#')) items.push(entry);
  for (let at = 0; at < items.length; at += 25) {
    const batch = items.slice(at, at + 25).map((Item) => ({ PutRequest: { Item } }));
    await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }));
  }
};

beforeAll(async () => {
  const started = await stack.start();
  tableName = started.tableName;
  doc = DynamoDBDocumentClient.from(started.client);
  // The reader's own client, asking for (and recording) the read units of each Query it sends.
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: started.endpoint });
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
      readUnits.push(consumed?.CapacityUnits ?? Number.NaN);
      return out;
    },
    { step: 'initialize', name: 'recordReadUnits' },
  );
  const app = makeApiHandler({
    reader: makeArticleReader({ client, tableName }),
    cursorKeys: TEST_CURSOR_KEYS,
    corsAllowOrigins: [],
  });
  call = async (target) => {
    const res = await app(httpEvent(target));
    expect(res.statusCode).toBe(200);
    return JSON.parse(res.body ?? '');
  };
}, 120_000);

afterAll(() => stack.stop());

const collect = async (target: string) => {
  const pages: { id: string; score: number }[][] = [];
  let cursor: string | null = null;
  do {
    const body = await call(cursor ? `${target}&cursor=${encodeURIComponent(cursor)}` : target);
    pages.push(body.items);
    cursor = body.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
};

describe('search over DynamoDB Local', () => {
  it('costs the same read units per page at 150 and at 300 articles', async () => {
    await seed(0, 150);
    readUnits.length = 0;
    await call('/search?q=harbour%20ferry&limit=10');
    const small = readUnits[0] ?? Number.NaN;
    await seed(150, 300);
    readUnits.length = 0;
    await call('/search?q=harbour%20ferry&limit=10');
    expect(readUnits).toHaveLength(1);
    expect(readUnits[0]).toBe(small);
    // One window of small entries: a handful of units, not a function of the table.
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThanOrEqual(searchWindow(10) / 4);
  });

  it('pages a one-word search heaviest first through every matching article', async () => {
    const pages = await collect('/search?q=harbour&limit=25');
    const hits = pages.flat();
    expect(hits).toHaveLength(300);
    expect(new Set(hits.map((h) => h.id)).size).toBe(300);
    expect(hits.map((h) => h.score)).toEqual(hits.map((h) => h.score).sort((a, b) => b - a));
    expect(hits[0]?.score).toBe(17);
  });

  it('finds every article holding both words, beyond the first window, one Query per page', async () => {
    readUnits.length = 0;
    const pages = await collect('/search?q=ferry%20HARBOUR&limit=2');
    const wanted = Array.from({ length: 300 }, (_, i) => i)
      .filter((i) => i % 45 === 0)
      .map((i) => articleNo(i).id);
    expect(
      pages
        .flat()
        .map((h) => h.id)
        .sort(),
    ).toEqual(wanted.sort());
    expect(readUnits).toHaveLength(pages.length);
  });
});
