/**
 * Failures of the write side that should make the SQS record retry (the message is redelivered after its
 * visibility timeout and lands in the DLQ after maxReceiveCount). Expected outcomes (stale, duplicate,
 * unchanged) are values, not errors.
 */
export class TransientStoreError extends Error {
  override readonly name = 'TransientStoreError';
}

/** The key changed between the writer's read and its conditional write; the writer reads again and re-plans. */
export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';
}
