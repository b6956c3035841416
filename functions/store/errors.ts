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

/**
 * A write DynamoDB refused because another write held one of its items at that moment: a single-item write beside
 * a transaction (TransactionConflictException), or a transaction cancelled for a conflict (TransactionCanceledException
 * with a TransactionConflict reason). Nothing was applied, and the SDK retries neither.
 */
export const isTransactionConflict = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'TransactionConflictException' ||
    (error.name === 'TransactionCanceledException' &&
      ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).some(
        (r) => r.Code === 'TransactionConflict',
      )));

/**
 * Sends a write again, at once and a few times, while it meets a conflict (isTransactionConflict): the one way the
 * record writer and the verifier's guarded removal ride out each other's transactions. Sending it again is safe
 * because a conflicted write was not applied; a transaction resent keeps its ClientRequestToken.
 */
export const retryingTransactionConflicts = async <T>(send: () => Promise<T>, attempts = 4): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
};
