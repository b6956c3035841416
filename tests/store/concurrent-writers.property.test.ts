import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Article, articleIdForKey, isRejection } from '../../functions/core/article';
import { makeArticleWriter } from '../../functions/store/article-writer';
import { StreamRecordSchema } from '../../functions/store/catalogue-deltas';
import { makeJanitor } from '../../functions/store/catalogue-janitor';
import { SequencerSchema } from '../../functions/store/upload-outcome';
import { indexEntriesFor } from '../../functions/store/write-entries';
import type { WriteRequest } from '../../functions/store/write-plan';
import { type FaultInjector, insertNames, installFakeTable, streamRecordsOf } from '../support/fake-table';
import { articleText, standInNormalise } from '../support/stand-in-core';

/**
 * Several events of one key written AT ONCE, their calls interleaved at random, some writers killed part-way and
 * their events redelivered afterwards: once the writers and the stream consumer's clean-up are done, the table
 * holds exactly the newest event's article and entries. (tests/store/ordering.property.test.ts covers deliveries
 * one after another; DynamoDB Local cannot interleave a writer's calls like this.)
 */
const KEY = 'race.txt';
const ID = articleIdForKey(KEY);
const local = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
const PEOPLE = ['Ann Lee', 'Bo Kim', 'Cy Ng', 'Di Roe', 'Ed Poe'];

const versions = new Map<number, Article>();
const version = (n: number): Article => {
  const cached = versions.get(n);
  if (cached) return cached;
  const result = standInNormalise(
    Buffer.from(
      articleText({
        headline: `Version ${n}`,
        date: `2024-0${(n % 3) + 1}-01`,
        people: PEOPLE.filter((_, i) => (n >> i) & 1),
        keywords: [`topic${n % 4}`],
      }),
    ),
    KEY,
  );
  if (isRejection(result)) throw new Error(result.detail);
  versions.set(n, result);
  return result;
};

const scenarioArb = fc.record({
  events: fc.uniqueArray(
    fc.record({
      seq: fc.integer({ min: 1, max: 0xfff }),
      version: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 31 })),
      // Killed at this write call of the event's writer (0: not killed).
      killAt: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })),
      reprocess: fc.boolean(),
    }),
    { minLength: 2, maxLength: 5, selector: (e) => e.seq },
  ),
  // How many event-loop turns each call waits before it reaches the table: the interleaving.
  delays: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 64, maxLength: 64 }),
});

const revOf = (input: unknown): string | undefined => {
  const i = input as {
    Item?: { rev?: unknown };
    ExpressionAttributeValues?: { ':rev'?: unknown };
    Statements?: Array<{ Statement: string; Parameters: unknown[] }>;
  };
  const first = i.Statements?.[0];
  const rev = first
    ? first.Parameters[insertNames(first.Statement).indexOf('rev')]
    : (i.Item?.rev ?? i.ExpressionAttributeValues?.[':rev']);
  return typeof rev === 'string' ? rev : undefined;
};

describe('concurrent writers of one key (property)', () => {
  it('interleaved and killed writers, then redeliveries and the clean-up: exactly the newest event remains', async () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    let leftoversSeen = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ events, delays }) => {
        ddb.reset();
        let turn = 0;
        const writesByRev = new Map<string, number>();
        const killAt = new Map(events.map((e) => [SequencerSchema.parse(e.seq.toString(16)), e.killAt]));
        const faults: FaultInjector = {
          before: async () => {
            const wait = delays[turn++ % delays.length] ?? 0;
            for (let i = 0; i < wait; i++) await new Promise((resolve) => setImmediate(resolve));
          },
          fault: (command, input) => {
            const rev = command === 'Query' || command === 'Get' ? undefined : revOf(input);
            if (!rev) return undefined;
            const seq = rev.slice(0, 32);
            const n = (writesByRev.get(seq) ?? 0) + 1;
            writesByRev.set(seq, n);
            return n === killAt.get(seq) ? new Error('Lambda killed') : undefined;
          },
        };
        const table = installFakeTable(ddb, faults);
        const client = new DynamoDBClient(local);
        const request = (e: (typeof events)[number], sequencer: string): WriteRequest => ({
          key: KEY,
          sequencer,
          change:
            e.version === null ? { kind: 'deleted' } : { kind: 'ingested', article: version(e.version) },
        });
        const writer = () => makeArticleWriter({ client, tableName: 't', conflictAttempts: 50 });

        const newest = events.reduce((a, b) => (b.seq > a.seq ? b : a));
        // Reprocess runs meanwhile: each reads the object as it now is (the newest event's), under whatever
        // sequencer is stored when it starts.
        const stored = () => String(table.get(`ART#${ID}\u0000UPLOAD`)?.sequencer ?? '0'.repeat(32));
        const reprocess = async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return writer().write({ ...request(newest, stored()), reprocess: true });
        };
        const [first, reprocessed] = await Promise.all([
          Promise.allSettled(events.map((e) => writer().write(request(e, e.seq.toString(16))))),
          Promise.allSettled(events.filter((e) => e.reprocess).map(reprocess)),
        ]);
        faults.fault = undefined;
        // SQS redelivers what failed, one by one, reprocess messages too.
        for (const [i, result] of first.entries()) {
          const e = events[i];
          if (result.status === 'rejected' && e) await writer().write(request(e, e.seq.toString(16)));
        }
        for (const result of reprocessed)
          if (result.status === 'rejected')
            await writer().write({ ...request(newest, stored()), reprocess: true });
        // The stream consumer's clean-up, over every change, until it makes none.
        const janitor = makeJanitor({ client, tableName: 't' });
        for (let from = 0; from < table.changes.length; ) {
          const to = table.changes.length;
          const records = streamRecordsOf(table.changes, from).map((r) => StreamRecordSchema.parse(r));
          leftoversSeen += (await janitor.sweep(records)).removed;
          from = to;
        }

        const expected = newest.version === null ? null : version(newest.version);
        const entries = [...table.keys()].filter((k) => !k.startsWith('ART#')).sort();
        expect(entries).toEqual(expected ? [...indexEntriesFor(expected).keys()].sort() : []);
        expect(table.get(`ART#${ID}\u0000ARTICLE`)?.headline).toBe(expected?.headline);
        expect(table.get(`ART#${ID}\u0000UPLOAD`)).toMatchObject({
          status: expected ? 'ingested' : 'deleted',
          sequencer: SequencerSchema.parse(newest.seq.toString(16)),
        });
        expect(table.get(`ART#${ID}\u0000UPLOAD`)?.pending).toBeUndefined();
      }),
      { numRuns: 150 },
    );
    ddb.restore();
    // The clean-up had something to do in some runs: the property covers overtaken writers' leftovers.
    expect(leftoversSeen).toBeGreaterThan(0);
  });
});
