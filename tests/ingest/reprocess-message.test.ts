import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { parseBody } from '../../functions/ingest/event';
import { processRecord } from '../../functions/ingest/process-record';
import type { RecordWriter } from '../../functions/store/record-writer';
import { quietObservability } from '../support/quiet-observability';
import { sqsRecord } from '../support/sqs-events';

describe('reprocess messages', () => {
  it('are told from S3 notifications by their reprocess field, with the key as listed (not URL-decoded)', () => {
    const body = JSON.stringify({
      reprocess: { bucket: 'b', key: 'a+b %2B.txt', eTag: '"e"', size: 3, run: 'r' },
    });
    expect(parseBody(body)).toEqual({
      kind: 'reprocess',
      item: { bucket: 'b', key: 'a+b %2B.txt', eTag: '"e"', size: 3, run: 'r' },
    });
  });

  it.each([
    ['no key', { reprocess: { bucket: 'b' } }],
    ['an empty key', { reprocess: { bucket: 'b', key: '' } }],
    ['a negative size', { reprocess: { bucket: 'b', key: 'k', size: -1 } }],
    ['a reprocess that is not an object', { reprocess: 'k' }],
  ])('with %s are malformed, and name no key to record an outcome under', (_name, body) => {
    const parsed = parseBody(JSON.stringify(body));
    expect(parsed).toMatchObject({ kind: 'malformed', recoverable: [] });
  });

  it('a malformed one is acknowledged without touching the store', async () => {
    const store: Pick<RecordWriter, 'write' | 'check' | 'checkReprocess'> = {
      write: vi.fn(),
      check: vi.fn(),
      checkReprocess: vi.fn(),
    };
    const observability = quietObservability();
    const addMetric = vi.spyOn(observability.metrics, 'addMetric');
    await processRecord(sqsRecord({ reprocess: { bucket: 'b' } }), {
      s3: {} as never,
      store,
      normalise: vi.fn(),
      observability,
      maxObjectBytes: 1000,
      now: () => 0,
    });
    expect(store.write).not.toHaveBeenCalled();
    expect(store.checkReprocess).not.toHaveBeenCalled();
    expect(store.check).not.toHaveBeenCalled();
    expect(addMetric).toHaveBeenCalledWith('MalformedEvents', MetricUnit.Count, 1);
  });
});
