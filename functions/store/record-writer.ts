import { randomUUID } from 'node:crypto';
import type { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { articleIdForKey } from '../core/article-id';
import type { BodyStore } from './article-body';
import { isConditionFailure, retryingTransactionConflicts } from './errors';
import { keys } from './keys';
import { bareETag, prepareRecord, type RecordRequest } from './record';
import { padSequencer, SEQUENCER_FLOOR } from './sequencer';
import type { UploadStatus } from './upload-outcome';

/**
 * The write side of the store, whole: an S3 event becomes ONE conditional PutItem of the key's record
 * (./record.ts), which holds the outcome and the article together.
 *
 *   event:      put the record  IF no record exists OR stored.sequencer < event.sequencer
 *   reprocess:  put the record  IF stored.sequencer = basis (or none exists when the basis is the floor)
 *                               AND NOT (stored.parserVersion = mine AND stored.sourceETag = the object's)
 *   repair:     put the record  IF stored.rev = the rev the verifier examined (or none exists, if it saw none)
 *
 * Why that is enough:
 * - One item, one atomic write: the outcome and the article never disagree, and nothing is ever half-written, so
 *   there is no pending state to resume and no clean-up of another writer's leftovers.
 * - Sequencers are right-padded (./sequencer.ts), so the newest event wins whatever the delivery order. A
 *   duplicate, a stale event, two deliveries at once, or the SDK's retry of a put whose response was lost all
 *   fail the condition; the old item returned with the failure says which (`stale`, `duplicate`, or `written`
 *   when it is this very write), and none of them is an error.
 * - The caller reads the object the event names (its versionId, or its eTag as IfMatch), so a redelivery writes
 *   the content its own event uploaded, never a newer object under an older sequencer.
 * - A reprocess keeps the stored sequencer, so any real event, before or after, outranks it; among reprocess
 *   runs the parser version and the object's eTag decide, never a clock.
 * - A body too large for the item is put first under a name derived from its content, and never deleted here.
 * Everything else (index entries, dates, terms, counts) is derived from the record by the stream consumers.
 */
export interface WriteResult {
  /** The status the record now holds from this event, or null when the event changed nothing. */
  recorded: UploadStatus | null;
  effect: 'written' | 'stale' | 'duplicate' | 'unchanged';
  /** Write units as DynamoDB reported them (0 for a refused write). */
  writeUnits: number;
}

export type Verdict = 'stale' | 'duplicate' | 'apply';
export type ReprocessCheck = { verdict: 'unchanged' } | { verdict: 'apply'; basis: string };

export interface RecordWriter {
  write(request: RecordRequest): Promise<WriteResult>;
  /** Before reading the object: is this event already applied or outranked? One consistent GetItem. */
  check(key: string, sequencer: string): Promise<Verdict>;
  /**
   * Before reading the object for a reprocess: is the stored record already this object (same eTag) read by this
   * parser? If not, the sequencer the reprocess must find still stored.
   */
  checkReprocess(
    key: string,
    probe: { eTag?: string | undefined; parserVersion: string },
  ): Promise<ReprocessCheck>;
  /**
   * The verifier's nudge: gives the record a new `rev` and bumps `repairGen`, only while it is still the one examined,
   * so the stream carries a change and the derive consumer derives it again in full. True when it was nudged.
   */
  nudge(id: string, seenRev: string): Promise<boolean>;
}

export interface RecordWriterOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Where bodies over MAX_INLINE_BODY_BYTES go. Without it such an article is rejected as too large. */
  bodies?: Pick<BodyStore, 'put'>;
  now?: () => Date;
}

/** The record is still the one that was examined (rev), or there still is none. */
const sameRecord = (rev: string | null) =>
  rev === null
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : {
        ConditionExpression: '#rev = :rev',
        ExpressionAttributeNames: { '#rev': 'rev' },
        ExpressionAttributeValues: { ':rev': rev },
      };

export const makeRecordWriter = (options: RecordWriterOptions): RecordWriter => {
  const { tableName: TableName } = options;
  const doc = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const now = options.now ?? (() => new Date());

  const stored = async (key: string) => {
    const out = await doc.send(
      new GetCommand({
        TableName,
        Key: keys.record(articleIdForKey(key)),
        ConsistentRead: true,
        ProjectionExpression: '#seq, parserVersion, sourceETag, #status',
        ExpressionAttributeNames: { '#seq': 'sequencer', '#status': 'status' },
      }),
    );
    return out.Item;
  };

  const condition = (request: RecordRequest) => {
    if (request.repairOf) return sameRecord(request.repairOf.rev);
    if (!request.reprocess)
      return {
        ConditionExpression: 'attribute_not_exists(pk) OR #seq < :seq',
        ExpressionAttributeNames: { '#seq': 'sequencer' },
        ExpressionAttributeValues: { ':seq': request.sequencer },
      };
    const same = 'parserVersion = :pv AND sourceETag = :etag';
    const names = { '#seq': 'sequencer' };
    const values = { ':pv': request.parserVersion, ':etag': request.sourceETag ?? '' };
    return request.sequencer === SEQUENCER_FLOOR
      ? {
          ConditionExpression: `attribute_not_exists(pk) OR (#seq = :seq AND NOT (${same}))`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':seq': SEQUENCER_FLOOR },
        }
      : {
          ConditionExpression: `#seq = :seq AND NOT (${same})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':seq': request.sequencer },
        };
  };

  return {
    async check(key, raw) {
      const sequencer = padSequencer(raw);
      const item = await stored(key);
      const at = typeof item?.sequencer === 'string' ? item.sequencer : null;
      if (at === null || at < sequencer) return 'apply';
      return at === sequencer ? 'duplicate' : 'stale';
    },

    async checkReprocess(key, probe) {
      const item = await stored(key);
      const basis = typeof item?.sequencer === 'string' ? item.sequencer : SEQUENCER_FLOOR;
      const current =
        item !== undefined &&
        probe.eTag !== undefined &&
        item.parserVersion === probe.parserVersion &&
        item.sourceETag === bareETag(probe.eTag);
      return current ? { verdict: 'unchanged' } : { verdict: 'apply', basis };
    },

    async nudge(id, seenRev) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName,
            Key: keys.record(id),
            UpdateExpression: 'SET #rev = :new ADD repairGen :one',
            ConditionExpression: '#rev = :rev',
            ExpressionAttributeNames: { '#rev': 'rev' },
            ExpressionAttributeValues: { ':new': randomUUID(), ':one': 1, ':rev': seenRev },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async write(raw) {
      let request: RecordRequest = { ...raw, sequencer: padSequencer(raw.sequencer) };
      const id = articleIdForKey(request.key);
      let prepared = prepareRecord(request, id, now().toISOString());
      if (prepared.overflow && !options.bodies) {
        const detail = `the compressed record is ${prepared.overflow.body.byteLength} bytes and this store has no body bucket`;
        request = { ...request, change: { kind: 'rejected', reason: 'too-large', detail } };
        prepared = prepareRecord(request, id, now().toISOString());
      }
      if (prepared.overflow) await options.bodies?.put(prepared.overflow.key, prepared.overflow.body);
      try {
        const put = new PutCommand({
          TableName,
          Item: { ...prepared.item },
          ...condition(request),
          ReturnConsumedCapacity: 'TOTAL',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        });
        const out = await retryingTransactionConflicts(() => doc.send(put));
        return {
          recorded: prepared.item.status,
          effect: 'written',
          writeUnits: out.ConsumedCapacity?.CapacityUnits ?? 0,
        };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return refused(request, prepared.item.rev, (error as ConditionalCheckFailedException).Item);
      }
    },
  };
};

/** Why the condition failed, from the item it found (marshalled: the failure carries the raw attribute values). */
const refused = (
  request: RecordRequest,
  rev: string,
  old: Record<string, { S?: string }> | undefined,
): WriteResult => {
  const storedRev = old?.rev?.S;
  const storedSeq = old?.sequencer?.S;
  const status = old?.status?.S;
  // The SDK retried a put whose first attempt committed (its response was lost): this write is the stored one.
  if (storedRev === rev)
    return { recorded: (status as UploadStatus | undefined) ?? null, effect: 'written', writeUnits: 0 };
  if (request.repairOf) return { recorded: null, effect: 'stale', writeUnits: 0 };
  if (request.reprocess)
    return { recorded: null, effect: storedSeq === request.sequencer ? 'unchanged' : 'stale', writeUnits: 0 };
  return { recorded: null, effect: storedSeq === request.sequencer ? 'duplicate' : 'stale', writeUnits: 0 };
};
