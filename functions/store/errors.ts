/**
 * Failures of the write side that should make the SQS record retry (the message is redelivered after its
 * visibility timeout and lands in the DLQ after maxReceiveCount). Expected outcomes (stale, duplicate,
 * unchanged) are values, not errors.
 */
export class TransientStoreError extends Error {
  override readonly name = 'TransientStoreError';
}

/** A write lost a race to a newer event for the same key mid-way; the caller treats the event as stale. */
export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';
}
