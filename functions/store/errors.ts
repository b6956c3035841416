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

/**
 * A single-item write DynamoDB refused because a transaction held the item at that moment (the verifier's guarded
 * removal checks a record in one): the SDK does not retry it, so the writer tries again at once, a few times,
 * rather than fail the whole record. The write was not applied, so sending it again is safe.
 */
export const retryingTransactionConflicts = async <T>(send: () => Promise<T>, attempts = 3): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const conflict = error instanceof Error && error.name === 'TransactionConflictException';
      if (!conflict || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
};
