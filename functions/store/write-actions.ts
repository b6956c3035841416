/**
 * The conditions every write of the ingest path carries. Each item of a key (outcome, article, index entries)
 * holds the `rev` (revision) that wrote it, and revisions order the events of a key (see ./upload-outcome.ts):
 * - the outcome is replaced only if it still holds the revision the writer read (optimistic concurrency: the
 *   writer computed which entries to remove from that state, so it may only apply to that state);
 * - the article and index entries are put only over an older or equal revision (a retry may redo its own put, an
 *   older event's writer can never overwrite a newer one's);
 * - entries of earlier revisions are removed only while they still hold an older revision.
 */
export interface Condition {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, string>;
}

const REV_NAMES = { '#rev': 'rev' };

/**
 * The outcome still holds the revision the writer read (none, for a new key). An outcome written before revisions
 * (`legacy`) has only its sequencer, which then stands for the revision.
 */
export const revUnchanged = (read: string | null, legacy = false): Condition => {
  if (read === null)
    return { ConditionExpression: 'attribute_not_exists(#rev)', ExpressionAttributeNames: REV_NAMES };
  if (!legacy) return revIs(read);
  return {
    ConditionExpression: 'attribute_not_exists(#rev) AND #seq = :rev',
    ExpressionAttributeNames: { ...REV_NAMES, '#seq': 'sequencer' },
    ExpressionAttributeValues: { ':rev': read },
  };
};

const onRev =
  (expression: string) =>
  (rev: string): Condition => ({
    ConditionExpression: expression,
    ExpressionAttributeNames: REV_NAMES,
    ExpressionAttributeValues: { ':rev': rev },
  });

/** Put (or remove the article) over nothing, or over an older or the same revision. */
export const revAtMost = onRev('attribute_not_exists(#rev) OR #rev <= :rev');

/** Remove an entry only while an older revision holds it (or it predates revisions). */
export const revBelow = onRev('attribute_not_exists(#rev) OR #rev < :rev');

/** Replace or remove an item only if it still holds exactly this revision (the outcome; the stream clean-up). */
export const revIs = onRev('#rev = :rev');

/** A reprocess keeps the key's sequencer and writes a revision just above it (see ./upload-outcome.ts). */
export const reprocessRev = (basis: string, at: string): string => `${basis}~${at}`;
