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

/**
 * A transaction refused by a condition of its own: every cancellation reason is a failed condition or none. A
 * transaction cancelled by a conflict or throttling is not a refusal and must be retried.
 */
export const isTransactionRefusal = (error: unknown): boolean => {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
  return (
    reasons.some((r) => r.Code === 'ConditionalCheckFailed') &&
    reasons.every((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'None' || r.Code === undefined)
  );
};

/** A transaction cancelled because another write touched one of its items at the same time: try it again. */
export const isTransactionConflict = (error: unknown): boolean =>
  error instanceof Error &&
  error.name === 'TransactionCanceledException' &&
  ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).some(
    (r) => r.Code === 'TransactionConflict',
  );
