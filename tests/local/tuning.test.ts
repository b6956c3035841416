import { describe, expect, it } from 'vitest';
import { INGEST_TUNING } from '../../infra/constructs/ingest-pipeline';
import { LOCAL_INGEST_TUNING } from '../../infra/local/stack';

describe('local event source mapping settings', () => {
  it('match the deployed stack where waiting would not slow a laptop down', () => {
    expect(LOCAL_INGEST_TUNING.batchSize).toBe(INGEST_TUNING.batchSize);
    expect(LOCAL_INGEST_TUNING.maxReceiveCount).toBe(INGEST_TUNING.maxReceiveCount);
    expect(LOCAL_INGEST_TUNING.functionTimeoutMs).toBe(INGEST_TUNING.timeout.toMilliseconds());
  });
});
