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

/**
 * The article item (compressed body plus the keys of its index entries) would exceed DynamoDB's 400 KB item limit.
 * The writer records a `too-large` rejection instead of failing the record forever.
 */
export class ItemTooLargeError extends Error {
  override readonly name = 'ItemTooLargeError';
  constructor(readonly bytes: number) {
    super(`the article item would be about ${bytes} bytes; DynamoDB's item limit is ${MAX_ITEM_BYTES}`);
  }
}

/** DynamoDB's item size limit. */
export const MAX_ITEM_BYTES = 400 * 1024;
