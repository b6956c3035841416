import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { articleIdForKey } from '../../functions/core/article';
import { parseBody } from '../../functions/ingest/event';
import { GONE_DETAIL } from '../../functions/ingest/process-record';
import { ingestHarness } from '../support/ingest-harness';
import { notification, s3Record } from '../support/sqs-events';

/**
 * The upload bucket is versioned (infra/constructs/article-storage.ts). The mocked bucket holds each key's current
 * version, which is all the handler ever reads; the events are the ones S3 sends for a versioned bucket.
 */
const h = ingestHarness();
const { observability, faults, run, upload, article, text } = h;
let bucket: ReturnType<typeof h.reset>['bucket'];
beforeEach(() => {
  ({ bucket } = h.reset());
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
    await run(notification({ key: 'd.txt', sequencer: '01', versionId: 'v1' }));
    bucket.delete('d.txt');
    await run(
      notification({
        key: 'd.txt',
        sequencer: '02',
        eventName: 'ObjectRemoved:DeleteMarkerCreated',
        versionId: 'm1',
      }),
    );
    expect(upload('d.txt')).toMatchObject({ status: 'deleted' });
    expect(article('d.txt')).toBeUndefined();
  });

  it('permanently deleting an old version leaves the article of the current one', async () => {
    bucket.set('keep.txt', text('Second version'));
    await run(notification({ key: 'keep.txt', sequencer: '02', versionId: 'v2' }));
    await run(
      notification({ key: 'keep.txt', sequencer: '03', eventName: 'ObjectRemoved:Delete', versionId: 'v1' }),
    );
    expect(upload('keep.txt')).toMatchObject({ status: 'ingested' });
    expect(article('keep.txt')).toBeDefined();
  });

  it('deleting the delete marker restores the previous version, which is ingested again', async () => {
    bucket.set('r.txt', text('Restored'));
    await run(notification({ key: 'r.txt', sequencer: '01', versionId: 'v1' }));
    bucket.delete('r.txt');
    await run(
      notification({
        key: 'r.txt',
        sequencer: '02',
        eventName: 'ObjectRemoved:DeleteMarkerCreated',
        versionId: 'm1',
      }),
    );
    expect(article('r.txt')).toBeUndefined();
    // Deleting the marker makes v1 current again; S3 reports it as the permanent delete of version m1.
    bucket.set('r.txt', text('Restored'));
    await run(
      notification({ key: 'r.txt', sequencer: '03', eventName: 'ObjectRemoved:Delete', versionId: 'm1' }),
    );
    expect(upload('r.txt')).toMatchObject({ status: 'ingested' });
    expect(article('r.txt')).toBeDefined();
  });

  it('permanently deleting the only version records the key as deleted', async () => {
    bucket.set('last.txt', text('Last'));
    await run(notification({ key: 'last.txt', sequencer: '01', versionId: 'v1' }));
    bucket.delete('last.txt');
    await run(
      notification({ key: 'last.txt', sequencer: '02', eventName: 'ObjectRemoved:Delete', versionId: 'v1' }),
    );
    expect(upload('last.txt')).toMatchObject({ status: 'deleted', detail: GONE_DETAIL });
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
      notification({ key: 'poison.txt', sequencer: '01' }, 'm-poison'),
      notification({ key: 'healthy.txt', sequencer: '01' }, 'm-healthy'),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-poison' }]);
    expect(metric.mock.calls.filter((c) => c[0] === 'RecordsFailed')).toEqual([
      ['RecordsFailed', 'Count', 1],
    ]);
  });

  it('are not counted when every record succeeds', async () => {
    bucket.set('fine.txt', text('Fine'));
    const metric = vi.spyOn(observability.metrics, 'addMetric');
    await run(notification({ key: 'fine.txt', sequencer: '01' }));
    expect(metric.mock.calls.map((c) => c[0])).not.toContain('RecordsFailed');
  });
});
