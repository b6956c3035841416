/**
 * Failures of the write side worth retrying: the SQS record (or the stream batch) is delivered again. Expected
 * outcomes (stale, duplicate, unchanged) are values, not errors.
 */
export class TransientStoreError extends Error {
  override readonly name = 'TransientStoreError';
}
