import { DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { articleIdForKey } from '../../functions/core/article';
import { parseBody } from '../../functions/ingest/event';
import { GONE_DETAIL } from '../../functions/ingest/process-record';
import { makeDeriveWriter } from '../../functions/store/derive-writer';
import { ingestHarness, local } from '../support/ingest-harness';
import { notification, s3Record } from '../support/sqs-events';
import { articleText } from '../support/stand-in-core';
import { derivedKeysIn, expectedDerivedKeys } from '../support/store-pipeline';

/**
 * The upload bucket is versioned (infra/constructs/article-storage.ts). The mocked bucket keeps every version; the
 * events are the ones S3 sends for a versioned bucket, and a creation is read by its own versionId (DESIGN,
 * pitfall 9).
 */
const h = ingestHarness();
const { observability, faults, run, record, article, created, text, s3Mock } = h;
const seq = (n: number) => n.toString(16).toUpperCase().padStart(16, '0');
let bucket: ReturnType<typeof h.reset>['bucket'];
let table: ReturnType<typeof h.reset>['table'];
beforeEach(() => {
  ({ bucket, table } = h.reset());
});

describe('events of a versioned bucket', () => {
  it('reads a delete marker as a delete, and a version delete as "look at the key again"', () => {
    const parse = (eventName: string, versionId?: string) =>
      parseBody(
        JSON.stringify({
          Records: [
            s3Record({ key: 'a.txt', sequencer: '01', eventName, ...(versionId ? { versionId } : {}) }),
          ],
        }),
      );
    expect(parse('ObjectRemoved:DeleteMarkerCreated', 'm1')).toMatchObject({
      events: [{ action: 'remove' }],
    });
    expect(parse('ObjectRemoved:Delete', 'v1')).toMatchObject({ events: [{ action: 'create' }] });
    // An unversioned bucket (s3rver, the local stack) sends no versionId: its delete is a delete.
    expect(parse('ObjectRemoved:Delete')).toMatchObject({ events: [{ action: 'remove' }] });
  });

  it('a delete (delete marker) removes the article', async () => {
    bucket.set('d.txt', text('Deleted'));
    await run(created('d.txt', seq(1), { versioned: true }));
    bucket.delete('d.txt');
    await run(
      notification({
        key: 'd.txt',
        sequencer: seq(2),
        eventName: 'ObjectRemoved:DeleteMarkerCreated',
        versionId: bucket.versionId('d.txt') ?? 'm1',
      }),
    );
    expect(record('d.txt')).toMatchObject({ status: 'deleted' });
    expect(article('d.txt')).toBeUndefined();
  });

  it('permanently deleting an old version leaves the article of the current one', async () => {
    bucket.set('keep.txt', text('First version'));
    const first = bucket.versionId('keep.txt') ?? '';
    bucket.set('keep.txt', text('Second version'));
    await run(created('keep.txt', seq(2), { versioned: true }));
    // S3 removes the old version from the list; the key's current object is still the second one.
    bucket.deleteVersion('keep.txt', first);
    await run(
      notification({
        key: 'keep.txt',
        sequencer: seq(3),
        eventName: 'ObjectRemoved:Delete',
        versionId: first,
      }),
    );
    expect(record('keep.txt')).toMatchObject({ status: 'ingested', headline: 'Second version' });
    expect(article('keep.txt')).toMatchObject({ headline: 'Second version' });
  });

  it('deleting the delete marker restores the previous version, which is ingested again', async () => {
    bucket.set('r.txt', text('Restored'));
    await run(created('r.txt', seq(1), { versioned: true }));
    bucket.delete('r.txt');
    const marker = bucket.versionId('r.txt') ?? '';
    await run(
      notification({
        key: 'r.txt',
        sequencer: seq(2),
        eventName: 'ObjectRemoved:DeleteMarkerCreated',
        versionId: marker,
      }),
    );
    expect(article('r.txt')).toBeUndefined();
    // Deleting the marker makes the first version current again (no creation event follows); S3 reports it as
    // the permanent delete of the marker's version, and the ingest reads the key's current object.
    bucket.deleteVersion('r.txt', marker);
    await run(
      notification({ key: 'r.txt', sequencer: seq(3), eventName: 'ObjectRemoved:Delete', versionId: marker }),
    );
    const reads = s3Mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input);
    expect(reads.at(-1)).toEqual({ Bucket: 'articles', Key: 'r.txt' });
    expect(record('r.txt')).toMatchObject({ status: 'ingested' });
    expect(article('r.txt')).toBeDefined();
  });

  it('permanently deleting the only version records the key as deleted', async () => {
    bucket.set('last.txt', text('Last'));
    const only = bucket.versionId('last.txt') ?? '';
    await run(created('last.txt', seq(1), { versioned: true }));
    bucket.deleteVersion('last.txt', only);
    await run(
      notification({
        key: 'last.txt',
        sequencer: seq(2),
        eventName: 'ObjectRemoved:Delete',
        versionId: only,
      }),
    );
    expect(record('last.txt')).toMatchObject({ status: 'deleted', detail: GONE_DETAIL });
    expect(article('last.txt')).toBeUndefined();
  });
});

describe('failed records', () => {
  it('are counted (RecordsFailed) as they fail, for the alarm that fires before the DLQ', async () => {
    bucket.set('poison.txt', text('Poison'));
    bucket.set('healthy.txt', text('Healthy'));
    const poisonId = articleIdForKey('poison.txt');
    faults.fault = (_command, input) =>
      JSON.stringify(input).includes(poisonId)
        ? new DynamoDBServiceException({ name: 'InternalServerError', $fault: 'server', $metadata: {} })
        : undefined;
    const metric = vi.spyOn(observability.metrics, 'addMetric');
    const result = await run(
      created('poison.txt', seq(1), {}, 'm-poison'),
      created('healthy.txt', seq(1), {}, 'm-healthy'),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-poison' }]);
    expect(metric.mock.calls.filter((c) => c[0] === 'RecordsFailed')).toEqual([
      ['RecordsFailed', 'Count', 1],
    ]);
  });

  it('are not counted when every record succeeds', async () => {
    bucket.set('fine.txt', text('Fine'));
    const metric = vi.spyOn(observability.metrics, 'addMetric');
    await run(created('fine.txt', seq(1)));
    expect(metric.mock.calls.map((c) => c[0])).not.toContain('RecordsFailed');
  });
});

describe('D1 in a versioned bucket', () => {
  it.each([
    ['after its write committed', true],
    ['before its write', false],
  ])(
    'S1 dies %s; its redelivery reads ITS OWN version (not the newer object), then S2: the table ends with exactly B’s derived items and S2 is written, not unchanged',
    async (_, committed) => {
      const derive = makeDeriveWriter({ client: new DynamoDBClient(local), tableName: 'articles' });
      const writes = vi.spyOn(h.store, 'write');
      bucket.set(
        'd1.txt',
        Buffer.from(
          articleText({ headline: 'Article A', date: '2024-11-13', people: ['Ann Lee', 'Bo Kim'] }),
        ),
      );
      const s1 = created('d1.txt', seq(1), { versioned: true }, 'm-s1');
      // S1's Lambda dies right after (or right before) its record write: the message is not acknowledged.
      let dying = true;
      faults.fault = (command) =>
        dying && command === 'Put' && !committed ? new Error('killed') : undefined;
      faults.afterCommit = (command) =>
        dying && command === 'Put' && committed ? new Error('killed') : undefined;
      expect((await run(s1)).batchItemFailures).toEqual([{ itemIdentifier: 'm-s1' }]);
      dying = false;
      await derive.apply([articleIdForKey('d1.txt')]);
      // Overwritten with B (S2); SQS redelivers S1 first.
      bucket.set(
        'd1.txt',
        Buffer.from(articleText({ headline: 'Article B', date: '2024-11-13', people: ['Ann Lee', 'Cy Ng'] })),
      );
      const s2 = created('d1.txt', seq(2), { versioned: true }, 'm-s2');
      expect((await run(s1)).batchItemFailures).toEqual([]);
      // S1's retry wrote A (its own version) or nothing, never B under S1's sequencer.
      expect(article('d1.txt')?.headline).toBe('Article A');
      await derive.apply([articleIdForKey('d1.txt')]);
      expect((await run(s2)).batchItemFailures).toEqual([]);
      const last = await writes.mock.results.at(-1)?.value;
      expect(last).toMatchObject({ effect: 'written', recorded: 'ingested' });
      await derive.apply([articleIdForKey('d1.txt')]);
      const b = article('d1.txt');
      expect(b?.headline).toBe('Article B');
      const tableItems = [...table.values()];
      expect(derivedKeysIn(tableItems)).toEqual(expectedDerivedKeys(b ? [b] : []));
      expect(table.get(`ART#${articleIdForKey('d1.txt')}\u0000APPLIED`)).toMatchObject({
        rev: record('d1.txt')?.rev,
      });
    },
  );
});
