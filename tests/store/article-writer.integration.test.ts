import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Article, articleIdForKey, isRejection } from '../../functions/core/article';
import { type ArticleWriter, makeArticleWriter } from '../../functions/store/article-writer';
import { decodeKeyList } from '../../functions/store/key-lists';
import { SequencerSchema } from '../../functions/store/upload-outcome';
import { keyList, type LocalServices, startLocalServices } from '../support/local-services';
import { articleText, standInNormalise } from '../support/stand-in-core';

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ s3: false });
});
afterAll(async () => {
  await services?.stop();
});

const seq = (raw: string) => SequencerSchema.parse(raw);
const article = (key: string, input: Parameters<typeof articleText>[0]): Article => {
  const result = standInNormalise(Buffer.from(articleText(input)), key);
  if (isRejection(result)) throw new Error(`stand-in rejected the test article: ${result.detail}`);
  return result;
};
const fresh = async (): Promise<{ writer: ArticleWriter; table: string }> => {
  const table = await services.newTable();
  return { table, writer: makeArticleWriter({ client: services.dynamo.client, tableName: table }) };
};
const ingest = (writer: ArticleWriter, key: string, sequencer: string, a: Article) =>
  writer.write({ key, sequencer: seq(sequencer), change: { kind: 'ingested', article: a } });
const remove = (writer: ArticleWriter, key: string, sequencer: string) =>
  writer.write({ key, sequencer: seq(sequencer), change: { kind: 'deleted' } });

const talks = {
  headline: 'Talks in Beijing',
  date: '2024-11-13',
  people: ['Sergei Shoigu', 'Wang Yi'],
  places: ['Beijing'],
  orgs: ['Security Council'],
  keywords: ['security talks'],
};

/** The article's terms and weights: keyword words weigh 3, entity-name words their mentions (see write-terms.ts). */
const talksWeights = { security: 4, talks: 3, sergei: 1, shoigu: 1, wang: 1, yi: 1, beijing: 1, council: 1 };
/** Term entries sort heaviest first: 999999 minus the weight, six digits. */
const termRank = (weight: number) => String(999_999 - weight).padStart(6, '0');

describe('article writer against DynamoDB Local', () => {
  it('writes the article, its outcome and exactly the documented index entries, no transaction, nothing shared', async () => {
    const { writer, table } = await fresh();
    const id = articleIdForKey('talks.txt');
    const result = await ingest(writer, 'talks.txt', '01', article('talks.txt', talks));
    expect(result).toMatchObject({ recorded: 'ingested', effect: 'written', mode: 'staged' });
    // Standard writes bill one unit per started KB: the outcome twice (put, then `pending` cleared), the article
    // (under 2 KB), every entry once. DynamoDB Local reports it (ReturnConsumedCapacity).
    expect(result.itemsWritten).toBe(2 + 1 + 15);
    expect(result.writeUnits).toBeGreaterThanOrEqual(result.itemsWritten);
    expect(result.writeUnits).toBeLessThanOrEqual(result.itemsWritten + 1);
    expect(keyList(await services.scanAll(table))).toEqual(
      [
        `ART#${id} | ARTICLE`,
        `ART#${id} | UPLOAD`,
        `DATE#2024-11 | 2024-11-13#${id}`,
        `ENT#person#sergei shoigu | 2024-11-13#${id}`,
        `ENT#person#wang yi | 2024-11-13#${id}`,
        `ENT#place#beijing | 2024-11-13#${id}`,
        `ENT#organization#security council | 2024-11-13#${id}`,
        `ALIAS#person#shoigu | sergei shoigu#${id}`,
        `ALIAS#person#yi | wang yi#${id}`,
        ...Object.entries(talksWeights).map(([t, w]) => `TERM#${t} | ${termRank(w)}#${id}`),
      ].sort(),
    );
    const items = await services.scanAll(table);
    expect(items.find((i) => i.pk === 'TERM#security')).toMatchObject({
      weight: 4,
      headline: 'Talks in Beijing',
      terms: talksWeights,
    });
  });

  it('re-ingest writes the new entries and removes the ones the new version lacks', async () => {
    const { writer, table } = await fresh();
    const id = articleIdForKey('talks.txt');
    await ingest(writer, 'talks.txt', '01', article('talks.txt', talks));
    await ingest(
      writer,
      'other.txt',
      '01',
      article('other.txt', { ...talks, headline: 'Other', keywords: [] }),
    );
    const edited = {
      ...talks,
      date: '2024-11-14',
      people: ['Sergei Shoigu'],
      places: [],
      orgs: [],
      keywords: [],
    };
    await ingest(writer, 'talks.txt', '02', article('talks.txt', edited));
    const items = await services.scanAll(table);
    const mine = keyList(items.filter((i) => String(i.pk).startsWith('ART#') || String(i.sk).includes(id)));
    expect(mine).toEqual(
      [
        `ART#${id} | ARTICLE`,
        `ART#${id} | UPLOAD`,
        `ART#${articleIdForKey('other.txt')} | ARTICLE`,
        `ART#${articleIdForKey('other.txt')} | UPLOAD`,
        `DATE#2024-11 | 2024-11-14#${id}`,
        `ENT#person#sergei shoigu | 2024-11-14#${id}`,
        `ALIAS#person#shoigu | sergei shoigu#${id}`,
        `TERM#sergei | 999998#${id}`,
        `TERM#shoigu | 999998#${id}`,
      ].sort(),
    );
  });

  it('a changed weight moves the term entry: the old key is deleted, the new one written with the new term map', async () => {
    const { writer, table } = await fresh();
    const id = articleIdForKey('talks.txt');
    await ingest(writer, 'talks.txt', '01', article('talks.txt', talks));
    await ingest(
      writer,
      'talks.txt',
      '02',
      article('talks.txt', { ...talks, keywords: ['security talks', 'shoigu'] }),
    );
    const items = await services.scanAll(table);
    const terms = items.filter((i) => String(i.pk).startsWith('TERM#shoigu'));
    expect(keyList(terms)).toEqual([`TERM#shoigu | ${termRank(4)}#${id}`]);
    expect(terms[0]).toMatchObject({ weight: 4, terms: { ...talksWeights, shoigu: 4 } });
    // Entries whose key did not move still carry the new term map (the content changed, so all are rewritten).
    expect(items.find((i) => i.pk === 'TERM#beijing')).toMatchObject({ terms: { shoigu: 4 } });
    const outcome = items.find((i) => i.pk === `ART#${id}` && i.sk === 'UPLOAD');
    const owned = decodeKeyList(outcome?.keys as Uint8Array | undefined);
    expect(owned).toContain(`TERM#shoigu\u0000${termRank(4)}#${id}`);
    expect(owned).not.toContain(`TERM#shoigu\u0000${termRank(1)}#${id}`);
  });

  it('an unchanged re-upload rewrites no index entry and costs at most 2 WCU', async () => {
    const { writer, table } = await fresh();
    await ingest(writer, 'talks.txt', '01', article('talks.txt', talks));
    const before = await services.scanAll(table);
    const result = await ingest(writer, 'talks.txt', '02', article('talks.txt', talks));
    expect(result).toMatchObject({ effect: 'unchanged', mode: 'single', itemsWritten: 1 });
    expect(result.writeUnits).toBeGreaterThan(0);
    expect(result.writeUnits).toBeLessThanOrEqual(2);
    const after = await services.scanAll(table);
    const notUpload = (items: typeof before) => items.filter((i) => i.sk !== 'UPLOAD');
    expect(notUpload(after)).toEqual(notUpload(before));
    expect(after.find((i) => i.sk === 'UPLOAD')).toMatchObject({ sequencer: seq('02') });
  });

  it('an unchanged re-upload is measured by DynamoDB Local itself at 1 write unit (ReturnConsumedCapacity)', async () => {
    const { writer, table } = await fresh();
    await ingest(writer, 'talks.txt', '01', article('talks.txt', talks));
    // What DynamoDB answered to every call, read off the client, not from the writer's own report.
    const calls: { command: string; units: number | undefined }[] = [];
    const client = services.dynamo.client;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        const consumed = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
        const units = list.reduce(
          (sum: number, c: { CapacityUnits?: number }) => sum + (c.CapacityUnits ?? 0),
          0,
        );
        calls.push({ command: context.commandName ?? '?', units: list.length ? units : undefined });
        return out;
      },
      { step: 'initialize', name: 'capacityProbe' },
    );
    try {
      await ingest(writer, 'talks.txt', '02', article('talks.txt', talks));
    } finally {
      client.middlewareStack.remove('capacityProbe');
    }
    const writes = calls.filter((c) => !/Query|Get/.test(c.command));
    expect(writes).toEqual([{ command: 'PutItemCommand', units: 1 }]);
    expect((await services.scanAll(table)).find((i) => i.sk === 'UPLOAD')).toMatchObject({
      sequencer: seq('02'),
    });
  });

  it('an article stored before revisions (entry keys on the article item, no rev) is replaced completely', async () => {
    const { writer, table } = await fresh();
    const id = articleIdForKey('talks.txt');
    await ingest(writer, 'talks.txt', '01', article('talks.txt', talks));
    // Turn what was written into the previous layout: no revisions, the key list on the article item.
    const doc = DynamoDBDocumentClient.from(services.dynamo.client);
    const items = await services.scanAll(table);
    const listed = decodeKeyList(items.find((i) => i.sk === 'UPLOAD')?.keys as Uint8Array | undefined);
    for (const { rev: _, keys: _k, pending: _p, ...item } of items) {
      const old = item.sk === 'ARTICLE' ? { ...item, indexKeys: listed } : item;
      await doc.send(new PutCommand({ TableName: table, Item: old }));
    }
    const edited = { ...talks, people: ['Wang Yi'], places: [], orgs: [], keywords: [] };
    expect(await ingest(writer, 'talks.txt', '02', article('talks.txt', edited))).toMatchObject({
      recorded: 'ingested',
    });
    const mine = keyList((await services.scanAll(table)).filter((i) => String(i.sk).includes(id)));
    expect(mine).toEqual(
      [
        `DATE#2024-11 | 2024-11-13#${id}`,
        `ENT#person#wang yi | 2024-11-13#${id}`,
        `ALIAS#person#yi | wang yi#${id}`,
        `TERM#wang | 999998#${id}`,
        `TERM#yi | 999998#${id}`,
      ].sort(),
    );
  });

  it('delete removes the article and every entry', async () => {
    const { writer, table } = await fresh();
    await ingest(writer, 'talks.txt', '01', article('talks.txt', talks));
    expect(await remove(writer, 'talks.txt', '02')).toMatchObject({ recorded: 'deleted', effect: 'written' });
    const items = await services.scanAll(table);
    expect(keyList(items)).toEqual([`ART#${articleIdForKey('talks.txt')} | UPLOAD`]);
  });

  it('an article with more entries than a transaction could hold (100) is written and deleted completely', async () => {
    const { writer, table } = await fresh();
    const many = Array.from({ length: 70 }, (_, i) => `Person${i} Surname${i}`);
    const big = article('big.txt', { headline: 'Crowd', date: '2024-01-01', people: many });
    const first = await ingest(writer, 'big.txt', '01', big);
    expect(first).toMatchObject({ recorded: 'ingested', mode: 'staged' });
    let items = await services.scanAll(table);
    expect(items.filter((i) => String(i.pk).startsWith('ENT#person#'))).toHaveLength(70);
    expect(items.filter((i) => String(i.pk).startsWith('ALIAS#'))).toHaveLength(70);
    const outcome = items.find((i) => i.sk === 'UPLOAD');
    expect(outcome?.pending).toBeUndefined();
    const owned = new Set(decodeKeyList(outcome?.keys as Uint8Array | undefined));
    const entries = items.filter(
      (i) => !String(i.pk).startsWith('ART#') && !String(i.pk).startsWith('ENTCAT#'),
    );
    expect(new Set(entries.map((i) => `${String(i.pk)}\u0000${String(i.sk)}`))).toEqual(owned);

    await remove(writer, 'big.txt', '02');
    items = await services.scanAll(table);
    expect(keyList(items.filter((i) => !String(i.pk).startsWith('ENTCAT#')))).toEqual([
      `ART#${articleIdForKey('big.txt')} | UPLOAD`,
    ]);
  });

  it('concurrent writers for one key converge on the newest sequencer', async () => {
    const { writer, table } = await fresh();
    const versions = Array.from({ length: 8 }, (_, i) =>
      article('race.txt', { ...talks, headline: `Version ${i}`, people: [`Person${i} Name`] }),
    );
    const writers = Array.from({ length: 4 }, () =>
      makeArticleWriter({ client: services.dynamo.client, tableName: table, conflictAttempts: 10 }),
    );
    // Shuffled order: the newest (index 7) is neither first nor last.
    const order = [3, 7, 0, 5, 1, 6, 2, 4];
    await Promise.all(
      order.map((i, n) => {
        const v = versions[i];
        if (!v) throw new Error('missing version');
        return ingest(writers[n % writers.length] ?? writer, 'race.txt', (i + 1).toString(16), v);
      }),
    );
    const items = await services.scanAll(table);
    expect(items.find((i) => i.sk === 'ARTICLE')).toMatchObject({ headline: 'Version 7' });
    expect(items.filter((i) => String(i.pk).startsWith('ENT#person#')).map((i) => i.pk)).toEqual([
      'ENT#person#person7 name',
    ]);
  });
});
