import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Article, articleIdForKey, isRejection } from '../../functions/core/article';
import { makeArticleWriter } from '../../functions/store/article-writer';
import { indexEntriesFor } from '../../functions/store/write-entries';
import { installFakeTable } from '../support/fake-table';
import { articleText, standInNormalise } from '../support/stand-in-core';

const KEY = 'prop.txt';
const ID = articleIdForKey(KEY);
const local = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
const PEOPLE = ['Ann Lee', 'Bo Kim', 'Cy Ng', 'Di Roe'];

const version = (n: number): Article => {
  const result = standInNormalise(
    Buffer.from(
      articleText({
        headline: `Version ${n}`,
        date: `2024-01-0${(n % 9) + 1}`,
        people: PEOPLE.filter((_, i) => (n >> i) & 1),
        keywords: [`topic${n % 3}`],
      }),
    ),
    KEY,
  );
  if (isRejection(result)) throw new Error(result.detail);
  return result;
};

/** An event: a create of some version, or a delete, at a distinct sequencer. */
const eventsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 0xffff }), { minLength: 1, maxLength: 6 })
  .chain((seqs) =>
    fc.tuple(
      fc.constant(seqs),
      fc.array(fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 15 })), {
        minLength: seqs.length,
        maxLength: seqs.length,
      }),
    ),
  )
  .chain(([seqs, kinds]) => {
    const events = seqs.map((seq, i) => ({ seq, version: kinds[i] ?? null }));
    // Deliveries: every event at least once, some twice, in any order.
    return fc
      .shuffledSubarray([...events, ...events], { minLength: events.length })
      .map((d) => ({ events, d }));
  })
  .filter(({ events, d }) => events.every((e) => d.some((x) => x.seq === e.seq)));

describe('ordering (property)', () => {
  it('any delivery order with duplicates ends in the newest event state, with exactly its entries', async () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    await fc.assert(
      fc.asyncProperty(eventsArb, async ({ events, d: deliveries }) => {
        ddb.reset();
        const table = installFakeTable(ddb);
        const writer = makeArticleWriter({ client: new DynamoDBClient(local), tableName: 't' });
        for (const { seq, version: v } of deliveries) {
          const sequencer = seq.toString(16);
          const change =
            v === null ? { kind: 'deleted' as const } : { kind: 'ingested' as const, article: version(v) };
          await writer.write({ key: KEY, sequencer, change });
        }
        const newest = events.reduce((a, b) => (b.seq > a.seq ? b : a));
        const expected = newest.version === null ? null : version(newest.version);
        const entries = [...table.keys()]
          .filter((k) => !k.startsWith('ART#') && !k.startsWith('ENTCAT#'))
          .sort();
        expect(entries).toEqual(expected ? [...indexEntriesFor(expected).keys()].sort() : []);
        expect(table.get(`ART#${ID}\u0000ARTICLE`)?.headline).toBe(expected?.headline);
        expect(table.get(`ART#${ID}\u0000UPLOAD`)?.status).toBe(expected ? 'ingested' : 'deleted');
        // The writer never touches the catalogue (its stream consumer does: tests/store/catalogue-*.test.ts).
        expect([...table.keys()].some((k) => k.startsWith('ENTCAT#'))).toBe(false);
      }),
      { numRuns: 150 },
    );
    ddb.restore();
  });
});
