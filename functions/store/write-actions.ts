import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/** TransactWriteItems' own limit on actions per call. */
export const MAX_TRANSACTION_ACTIONS = 100;

export type TransactAction = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const SEQ_NAMES = { '#seq': 'sequencer' };

type SequencerCondition = {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, string>;
};

/**
 * The key's outcome still holds the sequencer the writer read (none, for a new key). Optimistic concurrency: the
 * diff of index entries was computed from that state, so it may only be applied to that state. Checking merely
 * "stored < ours" would let two writers that read the same state both commit, orphaning the first one's entries.
 * A writer whose check fails re-reads: a newer event now stored makes it stale; an older one, it re-plans.
 */
export const unchangedSince = (readSequencer: string | null): SequencerCondition =>
  readSequencer === null
    ? { ConditionExpression: 'attribute_not_exists(#seq)', ExpressionAttributeNames: SEQ_NAMES }
    : {
        ConditionExpression: '#seq = :seq',
        ExpressionAttributeNames: SEQ_NAMES,
        ExpressionAttributeValues: { ':seq': readSequencer },
      };

/** The key's outcome is still this event's (no newer event took over while an ordered write was running). */
export const stillStored = (sequencer: string): SequencerCondition => unchangedSince(sequencer);

export const putAction = (tableName: string, item: Record<string, unknown>): TransactAction => ({
  Put: { TableName: tableName, Item: item },
});

export const deleteAction = (tableName: string, key: { pk: string; sk: string }): TransactAction => ({
  Delete: { TableName: tableName, Key: { pk: key.pk, sk: key.sk } },
});

export const conditionAction = (
  tableName: string,
  key: { pk: string; sk: string },
  condition: SequencerCondition,
): TransactAction => ({
  ConditionCheck: { TableName: tableName, Key: { pk: key.pk, sk: key.sk }, ...condition },
});

export const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};
