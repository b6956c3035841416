import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { eachLimited } from '../shared/each-limited';
import type { CountDelta } from './count-deltas';
import { isConditionFailure, TransientStoreError } from './errors';

/**
 * Applies a batch's count deltas (./count-deltas.ts) so that every stream record counts exactly once, however
 * often its batch is delivered, retried after failing half-way, split, or delivered out of order.
 *
 * Each catalogue item remembers, per stream shard, the spans of stream positions whose records it has counted
 * (attribute `applied:<shardId>`: `lo-hi,lo-hi...@<epoch seconds>`). A delivered batch is a contiguous slice of its
 * shard, so after a counter adds every record of its own in the batch that no stored span covers, the batch's whole
 * span is counted for it. Per item: read the spans, add the uncovered records, store the spans with the batch's
 * span added, conditional on the spans being unchanged (ADD keeps other shards' concurrent updates; each shard
 * conditions only on its own attribute; the batch's counters are read together, 100 to a BatchGetItem). Spans are merged oldest first beyond MAX_SPANS: only a record delivered
 * again after several later batches were counted could then be missed (the verifier recounts).
 */
export interface CountWriterOptions {
  client: DynamoDBClient;
  tableName: string;
  now?: () => Date;
  /** Catalogue items updated at once (default 8). */
  concurrency?: number;
}

export interface CountApplyResult {
  /** Items whose count changed. */
  updated: number;
  /** Items whose records had all been counted by an earlier delivery. */
  alreadyApplied: number;
  writeUnits: number;
}

const MARKER_PREFIX = 'applied:';
const MAX_SPANS = 4;
/** Twice the stream's retention: a shard quiet this long has been closed and trimmed. */
const MARKER_MAX_AGE_S = 48 * 3600;
const ATTEMPTS = 5;

type Span = { lo: string; hi: string };

export const parseSpans = (marker: unknown): Span[] => {
  if (typeof marker !== 'string') return [];
  const [list = ''] = marker.split('@');
  return list
    .split(',')
    .filter(Boolean)
    .map((s) => {
      const [lo = '', hi = ''] = s.split('-');
      return { lo, hi };
    });
};

/** Padded stream positions compare as strings. */
const laterOf = (a: string, b: string) => (a > b ? a : b);

/** The spans with one more, merged where they overlap, oldest merged first beyond MAX_SPANS. */
export const addSpan = (spans: readonly Span[], span: Span): Span[] => {
  const sorted = [...spans, span].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const merged: Span[] = [];
  for (const s of sorted) {
    const last = merged.at(-1);
    if (last && s.lo <= last.hi) last.hi = laterOf(s.hi, last.hi);
    else merged.push({ ...s });
  }
  while (merged.length > MAX_SPANS) {
    const [a, b] = merged.splice(0, 2) as [Span, Span];
    merged.unshift({ lo: a.lo, hi: laterOf(a.hi, b.hi) });
  }
  return merged;
};

const covered = (spans: readonly Span[], sequence: string) =>
  spans.some((s) => s.lo <= sequence && sequence <= s.hi);
const markerAge = (marker: unknown, nowS: number): number => {
  const at = typeof marker === 'string' ? Number(marker.split('@')[1]) : Number.NaN;
  return Number.isFinite(at) ? nowS - at : 0;
};

export const makeCountWriter = (options: CountWriterOptions) => {
  const { tableName: TableName } = options;
  const doc = DynamoDBDocumentClient.from(options.client);
  const now = options.now ?? (() => new Date());
  const concurrency = options.concurrency ?? 8;

  /** The batch's counters, read 100 to a call (strongly consistent); a counter not there yet is absent. */
  const readAll = async (deltas: readonly CountDelta[]) => {
    const found = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < deltas.length; i += 100) {
      let pending: Array<{ pk: string; sk: string }> = deltas
        .slice(i, i + 100)
        .map((d) => ({ pk: d.pk, sk: d.sk }));
      for (let round = 0; pending.length > 0; round++) {
        if (round === ATTEMPTS) throw new TransientStoreError(`${pending.length} counters still unread`);
        const out = await doc.send(
          new BatchGetCommand({ RequestItems: { [TableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of out.Responses?.[TableName] ?? []) found.set(`${item.pk}\u0000${item.sk}`, item);
        pending = (out.UnprocessedKeys?.[TableName]?.Keys ?? []) as typeof pending;
      }
    }
    return found;
  };

  const applyOne = async (
    shardId: string,
    span: Span,
    delta: CountDelta,
    tally: CountApplyResult,
    first: Record<string, unknown>,
  ) => {
    const marker = `${MARKER_PREFIX}${shardId}`;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      // The batch read supplies the first state; a retry after a lost race reads the counter again.
      const item =
        attempt === 1
          ? first
          : ((
              await doc.send(
                new GetCommand({ TableName, Key: { pk: delta.pk, sk: delta.sk }, ConsistentRead: true }),
              )
            ).Item ?? {});
      const stored = item[marker];
      const spans = parseSpans(stored);
      const todo = delta.changes.filter((c) => !covered(spans, c.sequence));
      if (todo.length === 0) {
        tally.alreadyApplied += 1;
        return;
      }
      const nowS = Math.floor(now().getTime() / 1000);
      const next = addSpan(spans, span)
        .map((s) => `${s.lo}-${s.hi}`)
        .join(',');
      // Markers of long-closed shards only grow the item.
      const expired = Object.keys(item).filter(
        (k) => k.startsWith(MARKER_PREFIX) && k !== marker && markerAge(item[k], nowS) > MARKER_MAX_AGE_S,
      );
      const names: Record<string, string> = { '#m': marker, '#type': 'type' };
      expired.forEach((k, i) => {
        names[`#x${i}`] = k;
      });
      const values: Record<string, unknown> = {
        ':d': todo.reduce((sum, c) => sum + c.delta, 0),
        ':mark': `${next}@${nowS}`,
        ':type': delta.type,
      };
      if (delta.name) {
        names['#name'] = 'name';
        values[':name'] = delta.name;
      }
      if (typeof stored === 'string') values[':stored'] = stored;
      try {
        const out = await doc.send(
          new UpdateCommand({
            TableName,
            Key: { pk: delta.pk, sk: delta.sk },
            UpdateExpression: `ADD articleCount :d SET #m = :mark, #type = :type${delta.name ? ', #name = :name' : ''}${
              expired.length ? ` REMOVE ${expired.map((_, i) => `#x${i}`).join(', ')}` : ''
            }`,
            ConditionExpression: typeof stored === 'string' ? '#m = :stored' : 'attribute_not_exists(#m)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        tally.updated += 1;
        tally.writeUnits += out.ConsumedCapacity?.CapacityUnits ?? 0;
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new TransientStoreError(`catalogue item ${delta.pk}/${delta.sk} kept changing under this consumer`);
  };

  return {
    async apply(shardId: string, span: Span, deltas: readonly CountDelta[]): Promise<CountApplyResult> {
      const tally: CountApplyResult = { updated: 0, alreadyApplied: 0, writeUnits: 0 };
      const stored = await readAll(deltas);
      await eachLimited(deltas, concurrency, (delta) =>
        applyOne(shardId, span, delta, tally, stored.get(`${delta.pk}\u0000${delta.sk}`) ?? {}),
      );
      return tally;
    },
  };
};

export type CountWriter = ReturnType<typeof makeCountWriter>;

/**
 * The verifier's recount (functions/verify): sets a count to the number of entries it counts, only while the
 * counter is exactly as examined (its count and every shard's spans), so a count the consumer changed since is
 * left alone for the next check. True when set.
 */
export const makeCountRepairs = (options: { client: DynamoDBClient; tableName: string }) => {
  const doc = DynamoDBDocumentClient.from(options.client);
  return {
    async setCount(
      key: { pk: string; sk: string },
      entity: { type: string; name: string },
      count: number,
      seen: Record<string, unknown> | null,
    ): Promise<boolean> {
      const names: Record<string, string> = { '#type': 'type', '#name': 'name' };
      const values: Record<string, unknown> = { ':n': count, ':type': entity.type, ':name': entity.name };
      const conditions: string[] = [];
      if (seen === null) conditions.push('attribute_not_exists(pk)');
      else {
        conditions.push(
          seen.articleCount === undefined ? 'attribute_not_exists(articleCount)' : 'articleCount = :seen',
        );
        if (seen.articleCount !== undefined) values[':seen'] = seen.articleCount;
        Object.keys(seen)
          .filter((k) => k.startsWith(MARKER_PREFIX))
          .forEach((k, i) => {
            names[`#m${i}`] = k;
            values[`:m${i}`] = seen[k];
            conditions.push(`#m${i} = :m${i}`);
          });
      }
      try {
        await doc.send(
          new UpdateCommand({
            TableName: options.tableName,
            Key: key,
            UpdateExpression: 'SET articleCount = :n, #type = :type, #name = :name',
            ConditionExpression: conditions.join(' AND '),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
};
