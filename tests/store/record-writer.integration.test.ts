import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Article, articleIdForKey } from '../../functions/core/article';
import { decodeKeyList } from '../../functions/store/key-lists';
import { makeRecordWriter } from '../../functions/store/record-writer';
import { type LocalServices, startLocalServices } from '../support/local-services';
import { standInArticle } from '../support/stand-in-core';
import {
  deleteRequest,
  derivedKeysIn,
  expectedDerivedKeys,
  ingestRequest,
  startStorePipeline,
} from '../support/store-pipeline';

/** What each write costs and touches, measured by DynamoDB Local itself (ReturnConsumedCapacity). */
let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ s3: false });
});
afterAll(async () => {
  await services?.stop();
});

const talks = {
  headline: 'Talks',
  date: '2024-11-13',
  people: ['Sergei Shoigu', 'Wang Yi'],
  keywords: ['security'],
};
const article = standInArticle;

/** Every call the client sends from now on: its command and the write or read units DynamoDB answered. */
const probe = () => {
  const calls: { command: string; units: number }[] = [];
  const client = services.dynamo.client;
  const name = `probe-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as {
        CapacityUnits?: number;
      }[];
      calls.push({
        command: context.commandName ?? '?',
        units: list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0),
      });
      return out;
    },
    { step: 'initialize', name },
  );
  return { calls, stop: () => client.middlewareStack.remove(name) };
};

const setUp = async () => {
  const tableName = await services.newTable();
  const pipeline = await startStorePipeline({
    client: services.dynamo.client,
    tableName,
    endpoint: services.dynamo.endpoint,
  });
  return { tableName, pipeline, scan: () => services.scanAll(tableName) };
};

describe('the ingest writes one item per event', () => {
  it('an event is one GetItem and one conditional PutItem of the record; nothing shared, no transaction', async () => {
    const tableName = await services.newTable();
    const writer = makeRecordWriter({ client: services.dynamo.client, tableName });
    const calls = probe();
    try {
      const a = article('talks.txt', talks);
      expect(await writer.check('talks.txt', '0062E9A1B2000001')).toBe('apply');
      expect(await writer.write(ingestRequest(a, '0062E9A1B2000001'))).toMatchObject({ effect: 'written' });
    } finally {
      calls.stop();
    }
    expect(calls.calls.map((c) => c.command)).toEqual(['GetItemCommand', 'PutItemCommand']);
    const items = await services.scanAll(tableName);
    expect(items.map((i) => `${String(i.pk)} | ${String(i.sk)}`)).toEqual([
      `ART#${articleIdForKey('talks.txt')} | RECORD`,
    ]);
  });

  it('an unchanged re-upload rewrites the record and only stamps what was applied: no derived item is written', async () => {
    const { pipeline, scan } = await setUp();
    try {
      await pipeline.write(ingestRequest(article('talks.txt', talks), '0000000000000001'));
      const before = (await scan()).filter((i) => !String(i.pk).startsWith('ART#'));
      const calls = probe();
      try {
        const result = await pipeline.write(ingestRequest(article('talks.txt', talks), '0000000000000002'));
        expect(result.writeUnits).toBeGreaterThan(0);
        expect(result.writeUnits).toBeLessThanOrEqual(2);
      } finally {
        calls.stop();
      }
      const writes = calls.calls.filter((c) => /Put|Batch|Update|Delete/.test(c.command));
      // The record, then the APPLIED stamp in one batch call: two writes, a few units.
      expect(writes.map((c) => c.command)).toEqual(['PutItemCommand', 'BatchWriteItemCommand']);
      expect(writes.reduce((sum, c) => sum + c.units, 0)).toBeLessThanOrEqual(3);
      expect((await scan()).filter((i) => !String(i.pk).startsWith('ART#'))).toEqual(before);
    } finally {
      await pipeline.stop();
    }
  });

  it('an article with more entries than a transaction could hold (100) is derived and removed completely', async () => {
    const { pipeline, scan } = await setUp();
    try {
      const many = Array.from({ length: 70 }, (_, i) => `Person${i} Surname${i}`);
      const big = article('big.txt', { headline: 'Crowd', date: '2024-01-01', people: many });
      await pipeline.write(ingestRequest(big));
      let items = await scan();
      expect(items.filter((i) => String(i.pk).startsWith('ENT#person#'))).toHaveLength(70);
      expect(items.filter((i) => String(i.pk).startsWith('ALIAS#'))).toHaveLength(70);
      expect(derivedKeysIn(items)).toEqual(expectedDerivedKeys([big]));
      const applied = items.find((i) => i.sk === 'APPLIED');
      expect(decodeKeyList(applied?.keys as Uint8Array).sort()).toEqual(expectedDerivedKeys([big]));
      await pipeline.write(deleteRequest('big.txt'));
      items = await scan();
      expect(derivedKeysIn(items)).toEqual([]);
      expect(items.filter((i) => String(i.pk).startsWith('ENTCAT#') && Number(i.articleCount) !== 0)).toEqual(
        [],
      );
    } finally {
      await pipeline.stop();
    }
  });

  it('concurrent writers of one key converge on the newest sequencer, whatever order they commit in', async () => {
    const { pipeline, scan } = await setUp();
    try {
      const versions = Array.from({ length: 8 }, (_, i) =>
        article('race.txt', { ...talks, headline: `Version ${i}`, people: [`Person${i} Name`] }),
      );
      const order = [3, 7, 0, 5, 1, 6, 2, 4];
      const results = await Promise.all(
        order.map((i) =>
          pipeline.writer.write(
            ingestRequest(versions[i] as Article, `00000000000000${(i + 1).toString(16).padStart(2, '0')}`),
          ),
        ),
      );
      expect(results.filter((r) => r.effect === 'written').length).toBeGreaterThanOrEqual(1);
      await pipeline.caughtUp();
      const items = await scan();
      expect(items.find((i) => i.sk === 'RECORD')).toMatchObject({ headline: 'Version 7' });
      expect(items.filter((i) => String(i.pk).startsWith('ENT#person#')).map((i) => i.pk)).toEqual([
        'ENT#person#person7 name',
      ]);
    } finally {
      await pipeline.stop();
    }
  });
});
