import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { articleIdForKey, isRejection } from '../../functions/core/article';
import { makeArticleWriter } from '../../functions/store/article-writer';
import { decodeKeyList } from '../../functions/store/key-lists';
import { SequencerSchema } from '../../functions/store/upload-outcome';
import { type FaultInjector, installFakeTable } from '../support/fake-table';
import { articleText, standInNormalise } from '../support/stand-in-core';

const local = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };

const setUp = (key: string) => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const faults: FaultInjector = {};
  const table = installFakeTable(ddb, faults);
  const writer = makeArticleWriter({ client: new DynamoDBClient(local), tableName: 't', concurrency: 1 });
  const people = Array.from({ length: 30 }, (_, i) => `Person${i} Surname${i}`);
  const result = standInNormalise(
    Buffer.from(articleText({ headline: 'Crowd', date: '2024-01-01', people })),
    key,
  );
  if (isRejection(result)) throw new Error(result.detail);
  const request = (raw: string) => ({
    key,
    sequencer: SequencerSchema.parse(raw),
    change: { kind: 'ingested' as const, article: result },
  });
  const id = articleIdForKey(key);
  const outcome = () => table.get(`ART#${id}\u0000UPLOAD`);
  /** Every entry the outcome lists is stored, and nothing else is. */
  const complete = () => {
    const listed = decodeKeyList(outcome()?.keys as Uint8Array | undefined);
    expect(listed.length).toBeGreaterThan(60);
    const stored = [...table.keys()].filter((k) => !k.startsWith('ART#')).sort();
    expect(stored).toEqual([...listed].sort());
    expect(outcome()?.pending).toBeUndefined();
  };
  /** The Lambda "dies" at its second batch of entries: the outcome, the article and 25 entries are stored. */
  const dieMidway = () => {
    let batches = 0;
    faults.fault = (command) =>
      command === 'Batch' && ++batches === 2 ? new Error('Lambda timed out') : undefined;
  };
  return { table, faults, writer, request, outcome, complete, dieMidway };
};

describe('a write interrupted part-way', () => {
  it('a redelivery of the same event finishes the entry writes and clears pending', async () => {
    const t = setUp('big.txt');
    t.dieMidway();
    await expect(t.writer.write(t.request('01'))).rejects.toThrow('Lambda timed out');
    expect(t.outcome()).toMatchObject({ pending: true });
    expect([...t.table.keys()].filter((k) => !k.startsWith('ART#'))).toHaveLength(25);

    t.faults.fault = undefined;
    expect(await t.writer.write(t.request('01'))).toMatchObject({ effect: 'resumed', recorded: 'ingested' });
    t.complete();
    // And a third delivery is a plain duplicate.
    expect(await t.writer.write(t.request('01'))).toMatchObject({ effect: 'duplicate' });
  });

  it('a NEW upload of the same content after an interrupted write writes the entries, not "unchanged"', async () => {
    const t = setUp('same.txt');
    t.dieMidway();
    await expect(t.writer.write(t.request('01'))).rejects.toThrow('Lambda timed out');
    t.faults.fault = undefined;

    // The user uploads the same file again before the first event is redelivered: same content hash, but the
    // stored article's entries were never all written, so this is not an unchanged re-upload.
    expect(await t.writer.write(t.request('02'))).toMatchObject({ effect: 'written', recorded: 'ingested' });
    t.complete();
    // The first event's redelivery is now stale and changes nothing.
    expect(await t.writer.write(t.request('01'))).toMatchObject({ effect: 'stale' });
    t.complete();
  });
});
