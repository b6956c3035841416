/**
 * Failures of the write side worth retrying: the SQS record (or the stream batch) is delivered again. Expected
 * outcomes (stale, duplicate, unchanged) are values, not errors.
 */
export class TransientStoreError extends Error {
  override readonly name = 'TransientStoreError';
}

/**
 * A conditional write refused because its condition did not hold. Every writer of the store treats it as an answer
 * (something newer is stored, or the write already happened), never as a failure to retry.
 */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';
