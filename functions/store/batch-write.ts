import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eachLimited } from '../shared/each-limited';
import { TransientStoreError } from './errors';

export type WriteRequestItem =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: { pk: string; sk: string } } };

/** BatchWriteItem's limit. */
const BATCH = 25;
/** Rounds of re-sending what DynamoDB left unprocessed (throttling) before the caller's batch fails and is retried. */
const ROUNDS = 8;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Puts and deletes in BatchWriteItem calls of 25, re-sending `UnprocessedItems` with backoff until none is left;
 * if some still are after ROUNDS, it throws (the stream batch fails and is delivered again, which is harmless:
 * every request here is an idempotent put or delete). A call must not name one key twice.
 */
export const batchWrite = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequestItem[],
  concurrency = 8,
): Promise<{ writeUnits: number }> => {
  let writeUnits = 0;
  const chunks: WriteRequestItem[][] = [];
  for (let i = 0; i < requests.length; i += BATCH) chunks.push(requests.slice(i, i + BATCH));
  await eachLimited(chunks, concurrency, async (chunk) => {
    let pending: WriteRequestItem[] = chunk;
    for (let round = 0; pending.length > 0; round++) {
      if (round === ROUNDS)
        throw new TransientStoreError(`${pending.length} writes still unprocessed after ${ROUNDS} rounds`);
      if (round > 0) await sleep(Math.min(2_000, 25 * 2 ** round) * (0.5 + Math.random()));
      const out = await doc.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending }, ReturnConsumedCapacity: 'TOTAL' }),
      );
      for (const used of out.ConsumedCapacity ?? []) writeUnits += used.CapacityUnits ?? 0;
      pending = (out.UnprocessedItems?.[tableName] ?? []) as WriteRequestItem[];
    }
  });
  return { writeUnits };
};
