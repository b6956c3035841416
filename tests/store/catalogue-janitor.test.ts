import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamRecordSchema } from '../../functions/store/catalogue-deltas';
import { makeJanitor, writtenItems } from '../../functions/store/catalogue-janitor';
import { encodeKeyList } from '../../functions/store/key-lists';
import { installFakeTable, streamRecordsOf } from '../support/fake-table';

const local = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const ID = 'a1';
const entry = (pk: string, rev: string) => ({ pk, sk: `2024-01-01#${ID}`, id: ID, rev });
const key = (e: { pk: string; sk: string }) => `${e.pk}\u0000${e.sk}`;

/** A table whose outcome says revision `rev` (status, owned keys), plus the items given, then their stream. */
const setUp = (
  outcome: { rev: string; status: 'ingested' | 'deleted'; owns: string[] },
  items: Array<Record<string, unknown>>,
) => {
  const table = installFakeTable(ddb);
  table.set(`ART#${ID}\u0000UPLOAD`, {
    pk: `ART#${ID}`,
    sk: 'UPLOAD',
    sequencer: outcome.rev,
    rev: outcome.rev,
    status: outcome.status,
    keys: encodeKeyList(outcome.owns),
  });
  for (const item of items) table.set(key(item as { pk: string; sk: string }), { ...item });
  const records = items.map((item) => ({
    eventName: 'INSERT' as const,
    key: key(item as { pk: string; sk: string }),
    item,
  }));
  const janitor = makeJanitor({ client: new DynamoDBClient(local), tableName: 't' });
  const sweep = () => janitor.sweep(streamRecordsOf(records).map((r) => StreamRecordSchema.parse(r)));
  return { table, sweep };
};

describe('stream clean-up of what overtaken writers left', () => {
  it('removes an entry older than the stored revision that the revision does not own, and only that', async () => {
    const leftover = entry('ENT#person#bo kim', '02');
    const owned = entry('ENT#person#ann lee', '02');
    const current = entry('TERM#rates', '03');
    const { table, sweep } = setUp({ rev: '03', status: 'ingested', owns: [key(owned), key(current)] }, [
      leftover,
      owned,
      current,
    ]);
    expect(await sweep()).toEqual({ checked: 1, removed: 1 });
    expect(table.has(key(leftover))).toBe(false);
    // Owned by the stored revision: its writer overwrites it (or already has); never removed.
    expect(table.has(key(owned))).toBe(true);
    expect(table.has(key(current))).toBe(true);
  });

  it('removes an older article when the newest event deleted the key', async () => {
    const article = { pk: `ART#${ID}`, sk: 'ARTICLE', id: ID, rev: '02' };
    const { table, sweep } = setUp({ rev: '03', status: 'deleted', owns: [] }, [article]);
    expect(await sweep()).toEqual({ checked: 1, removed: 1 });
    expect(table.has(`ART#${ID}\u0000ARTICLE`)).toBe(false);
  });

  it('removes a leftover only while it still holds the revision the stream showed', async () => {
    const shown = entry('ENT#person#cy ng', '02');
    const { table, sweep } = setUp({ rev: '05', status: 'ingested', owns: [] }, [shown]);
    // Since the stream record, another writer put the item again: that write has its own record to answer for.
    table.set(key(shown), { ...shown, rev: '04' });
    expect(await sweep()).toEqual({ checked: 1, removed: 0 });
    expect(table.get(key(shown))?.rev).toBe('04');
  });

  it('reads only items that carry a revision and an article id, and no outcome, no catalogue item', () => {
    const records = streamRecordsOf([
      {
        eventName: 'INSERT',
        key: `ART#${ID}\u0000UPLOAD`,
        item: { pk: `ART#${ID}`, sk: 'UPLOAD', rev: '1' },
      },
      {
        eventName: 'MODIFY',
        key: 'ENTCAT#person\u0000ann lee',
        item: { pk: 'ENTCAT#person', sk: 'ann lee' },
      },
      { eventName: 'REMOVE', key: `ENT#person#x\u00002024#${ID}`, item: undefined },
      {
        eventName: 'INSERT',
        key: `ENT#person#x\u00002024#${ID}`,
        item: { pk: 'ENT#person#x', id: ID, rev: '1' },
      },
    ]).map((r) => StreamRecordSchema.parse(r));
    expect(writtenItems(records).map((w) => w.pk)).toEqual(['ENT#person#x']);
  });
});
