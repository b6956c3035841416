import { describe, expect, it } from 'vitest';
import { INGEST_TUNING } from '../../infra/constructs/ingest-pipeline';
import { describeOutcome, LOCAL_INGEST_TUNING } from '../../infra/local/handler-types';

describe('local event source mapping settings', () => {
  it('match the deployed stack where waiting would not slow a laptop down', () => {
    expect(LOCAL_INGEST_TUNING.batchSize).toBe(INGEST_TUNING.batchSize);
    expect(LOCAL_INGEST_TUNING.maxReceiveCount).toBe(INGEST_TUNING.maxReceiveCount);
    expect(LOCAL_INGEST_TUNING.functionTimeoutMs).toBe(INGEST_TUNING.timeout.toMilliseconds());
  });
});

describe('describeOutcome (one terminal line per processed upload)', () => {
  it('says what became of the upload', () => {
    expect(describeOutcome('a.txt', { status: 'ingested', articleId: 'abc' })).toBe(
      'ingested a.txt -> /articles/abc',
    );
    expect(
      describeOutcome('b.png', { status: 'rejected', reason: 'not-text', detail: 'PNG signature' }),
    ).toBe('rejected b.png: not-text (PNG signature)');
    expect(describeOutcome('c.txt', { status: 'deleted' })).toBe('deleted c.txt');
    expect(describeOutcome('d.txt', null)).toMatch(/no outcome/);
  });

  it('says a stale event was skipped, not that it deleted the key', () => {
    // Stored right-padded to 32 hex digits (functions/store/sequencer.ts); events carry S3's raw 16-20 digits.
    const deletedLater = { status: 'deleted', sequencer: '0069204C8E7B00000B'.padEnd(32, '0') };
    expect(
      describeOutcome('e.txt', deletedLater, {
        eventName: 'ObjectCreated:Put',
        sequencer: '0069204C8E7B00000A',
      }),
    ).toBe('skipped a stale ObjectCreated:Put for e.txt (a newer event left it deleted)');
    expect(
      describeOutcome('e.txt', deletedLater, {
        eventName: 'ObjectRemoved:Delete',
        sequencer: '0069204C8E7B00000B',
      }),
    ).toBe('deleted e.txt');
  });
});
