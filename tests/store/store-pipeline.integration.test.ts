import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Article, articleIdForKey } from '../../functions/core/article';
import { makeArticleReader } from '../../functions/store/article-reader';
import { type LocalServices, startLocalServices } from '../support/local-services';
import { standInArticle } from '../support/stand-in-core';
import {
  deleteRequest,
  derivedKeysIn,
  expectedDerivedKeys,
  ingestRequest,
  startStorePipeline,
} from '../support/store-pipeline';

/**
 * The store end to end against DynamoDB Local: the ingest's one write, the derive and count consumers reading the
 * real stream, and the reader. After each quiet moment the table holds exactly what the records derive.
 */
let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ s3: false });
});
afterAll(async () => {
  await services?.stop();
});

const article = (key: string, headline: string, people: string[], date = '2024-11-13'): Article =>
  standInArticle(key, { headline, date, people, keywords: ['news'] });

/** `type/name -> articleCount` of the entity catalogue, zero counts left out. */
const counts = (items: Array<Record<string, unknown>>) =>
  Object.fromEntries(
    items
      .filter((i) => String(i.pk).startsWith('ENTCAT#') && Number(i.articleCount) !== 0)
      .map((i) => [`${String(i.pk).split('#')[1]}/${String(i.sk)}`, Number(i.articleCount)])
      .sort(),
  );

const setUp = async () => {
  const tableName = await services.newTable();
  const client = services.dynamo.client;
  const pipeline = await startStorePipeline({ client, tableName, endpoint: services.dynamo.endpoint });
  const reader = makeArticleReader({ client, tableName });
  return { tableName, pipeline, reader, scan: () => services.scanAll(tableName) };
};

describe('one write per event, everything else derived', () => {
  it('an ingest, an overwrite and a delete each leave exactly what the record derives, with exact counts', async () => {
    const { pipeline, reader, scan } = await setUp();
    try {
      const a = article('desk/a.txt', 'Version A', ['Ann Lee', 'Bo Kim']);
      const b = article('desk/a.txt', 'Version B', ['Ann Lee', 'Cy Ng']);
      const other = article('desk/b.txt', 'Other', ['Ann Lee']);
      expect(await pipeline.write(ingestRequest(a, '0000000000000010'))).toMatchObject({ effect: 'written' });
      await pipeline.write(ingestRequest(other, '0000000000000011'));
      let items = await scan();
      expect(derivedKeysIn(items)).toEqual(expectedDerivedKeys([a, other]));
      expect(counts(items)).toEqual({ 'person/ann lee': 2, 'person/bo kim': 1 });
      const outcome = await reader.getUpload('desk/a.txt');
      expect(outcome).toMatchObject({ status: 'ingested', articleId: a.id, indexedAt: expect.any(String) });

      await pipeline.write(ingestRequest(b, '0000000000000020'));
      items = await scan();
      expect(derivedKeysIn(items)).toEqual(expectedDerivedKeys([b, other]));
      expect(counts(items)).toEqual({ 'person/ann lee': 2, 'person/cy ng': 1 });
      expect(JSON.parse((await reader.getArticle(a.id))?.json ?? '{}').headline).toBe('Version B');

      await pipeline.write(deleteRequest('desk/a.txt', '0000000000000030'));
      items = await scan();
      expect(derivedKeysIn(items)).toEqual(expectedDerivedKeys([other]));
      expect(counts(items)).toEqual({ 'person/ann lee': 1 });
      expect(await reader.getArticle(a.id)).toBeNull();
      expect(await reader.getUpload('desk/a.txt')).toMatchObject({
        status: 'deleted',
        indexedAt: expect.any(String),
      });
    } finally {
      await pipeline.stop();
    }
  });

  it('a stale or duplicate event changes nothing and says so', async () => {
    const { pipeline, scan } = await setUp();
    try {
      const a = article('desk/s.txt', 'Newer', ['Ann Lee']);
      const old = article('desk/s.txt', 'Older', ['Bo Kim']);
      await pipeline.write(ingestRequest(a, '0000000000000020'));
      const before = await scan();
      expect(await pipeline.write(ingestRequest(old, '0000000000000010'))).toMatchObject({ effect: 'stale' });
      expect(await pipeline.write(ingestRequest(a, '0000000000000020'))).toMatchObject({
        effect: 'duplicate',
      });
      expect(await pipeline.writer.check('desk/s.txt', '0000000000000010')).toBe('stale');
      expect(await pipeline.writer.check('desk/s.txt', '0000000000000020')).toBe('duplicate');
      expect(await scan()).toEqual(before);
    } finally {
      await pipeline.stop();
    }
  });

  it('D3: sequencers of different lengths order as AWS documents (right-pad with zeros, then compare)', async () => {
    const { pipeline, reader } = await setUp();
    try {
      const older = '0062E9A1B1FF';
      const newer = '0062E9A1B2'; // right-padded: 0062E9A1B200 > 0062E9A1B1FF
      await pipeline.write(ingestRequest(article('desk/o.txt', 'Older', ['Ann Lee']), older));
      expect(await pipeline.writer.check('desk/o.txt', newer)).toBe('apply');
      expect(
        await pipeline.write(ingestRequest(article('desk/o.txt', 'Newer', ['Ann Lee']), newer)),
      ).toMatchObject({
        effect: 'written',
      });
      // And the other way round: the shorter, older one arriving last is stale.
      await pipeline.write(ingestRequest(article('desk/p.txt', 'Newer', ['Ann Lee']), '0062E9A1B2'));
      expect(
        await pipeline.write(ingestRequest(article('desk/p.txt', 'Older', ['Ann Lee']), '0062E9A1B1FF00000')),
      ).toMatchObject({ effect: 'stale' });
      const headline = async (key: string) =>
        JSON.parse((await reader.getArticle(articleIdForKey(key)))?.json ?? '{}').headline;
      expect([await headline('desk/o.txt'), await headline('desk/p.txt')]).toEqual(['Newer', 'Newer']);
    } finally {
      await pipeline.stop();
    }
  });
});
