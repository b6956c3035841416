import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { eachLimited } from '../shared/each-limited';
import type { CatalogueDelta } from './catalogue-deltas';
import { TransientStoreError } from './errors';

/**
 * Applies a batch's catalogue deltas (./catalogue-deltas.ts) so that every stream record counts exactly once,
 * however often the batch is delivered, split or retried after a failure half-way through.
 *
 * Each catalogue item remembers, per stream shard, the sequence number of the last record applied to it
 * (attribute `applied:<shardId>`, value `<40-digit sequence>@<epoch seconds>`). Records of one shard arrive in
 * order, and everything up to a shard's checkpoint was applied before the checkpoint moved, so "already applied"
 * is simply "sequence <= the marker":
 * - usual case, one conditional UpdateItem: add the whole delta if the marker is older than the first record;
 * - a redelivery that overlaps what was applied (the condition fails): read the marker, add only the records
 *   after it, conditional on the marker being unchanged.
 * Markers of shards closed longer than the stream's 24-hour retention can never be needed again and are dropped.
 *
 * Items are only written by this consumer, never by an article's ingest transaction, so bulk loads do not
 * conflict on them; ADD keeps concurrent shards from losing each other's updates.
 */
export interface CatalogueWriterOptions {
  client: DynamoDBClient;
  tableName: string;
  now?: () => Date;
  /** Catalogue items updated at once (default 8). */
  concurrency?: number;
}

export interface CatalogueApplyResult {
  /** Items whose count changed (or whose marker moved). */
  updated: number;
  /** Items whose records had all been applied by an earlier delivery. */
  alreadyApplied: number;
  writeUnits: number;
}

const MARKER_PREFIX = 'applied:';
/** Twice the stream's retention: a shard quiet this long has been closed and trimmed. */
const MARKER_MAX_AGE_S = 48 * 3600;
const SLOW_PATH_ATTEMPTS = 4;

const ItemSchema = z.record(z.string(), z.unknown());
const CapacitySchema = z.object({ CapacityUnits: z.number().optional() }).optional();

const markerSequence = (marker: unknown): string | null =>
  typeof marker === 'string' ? (marker.split('@')[0] ?? null) : null;
const markerAge = (marker: unknown, nowS: number): number => {
  const at = typeof marker === 'string' ? Number(marker.split('@')[1]) : Number.NaN;
  return Number.isFinite(at) ? nowS - at : 0;
};

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

export const makeCatalogueWriter = (options: CatalogueWriterOptions) => {
  const { tableName } = options;
  const doc = DynamoDBDocumentClient.from(options.client);
  const now = options.now ?? (() => new Date());
  const concurrency = options.concurrency ?? 8;

  const update = async (
    delta: CatalogueDelta,
    marker: string,
    add: number,
    condition: { expression: string; values: Record<string, string> },
  ) => {
    const type = delta.entity?.type;
    const name = delta.entity?.name;
    const sets = ['#m = :mark', ...(type ? ['#type = :type'] : []), ...(name ? ['#name = :name'] : [])];
    const out = await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: delta.pk, sk: delta.sk },
        UpdateExpression: `ADD articleCount :d SET ${sets.join(', ')}`,
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: {
          '#m': marker,
          ...(type ? { '#type': 'type' } : {}),
          ...(name ? { '#name': 'name' } : {}),
        },
        ExpressionAttributeValues: {
          ':d': add,
          ':mark': `${delta.changes.at(-1)?.sequence}@${Math.floor(now().getTime() / 1000)}`,
          ...(type ? { ':type': type } : {}),
          ...(name ? { ':name': name } : {}),
          ...condition.values,
        },
        ReturnValues: 'ALL_NEW',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return { item: ItemSchema.safeParse(out.Attributes).data ?? {}, units: unitsOf(out.ConsumedCapacity) };
  };

  const unitsOf = (consumed: unknown) => CapacitySchema.safeParse(consumed).data?.CapacityUnits ?? 0;

  /** Drops the markers of long-closed shards (they only grow the item). */
  const prune = async (delta: CatalogueDelta, item: Record<string, unknown>): Promise<number> => {
    const nowS = Math.floor(now().getTime() / 1000);
    const stale = Object.keys(item).filter(
      (k) => k.startsWith(MARKER_PREFIX) && markerAge(item[k], nowS) > MARKER_MAX_AGE_S,
    );
    if (stale.length === 0) return 0;
    const names = Object.fromEntries(stale.map((k, i) => [`#s${i}`, k]));
    const out = await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: delta.pk, sk: delta.sk },
        UpdateExpression: `REMOVE ${Object.keys(names).join(', ')}`,
        ExpressionAttributeNames: names,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return unitsOf(out.ConsumedCapacity);
  };

  const applyOne = async (shardId: string, delta: CatalogueDelta, tally: CatalogueApplyResult) => {
    const marker = `${MARKER_PREFIX}${shardId}`;
    const first = delta.changes[0]?.sequence;
    if (!first) return;
    try {
      const out = await update(delta, marker, delta.delta, {
        expression: 'attribute_not_exists(#m) OR #m < :first',
        values: { ':first': first },
      });
      tally.updated += 1;
      tally.writeUnits += out.units + (await prune(delta, out.item));
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // Part of this batch was applied by an earlier delivery: add only what came after the marker.
    for (let attempt = 1; attempt <= SLOW_PATH_ATTEMPTS; attempt++) {
      const read = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: delta.pk, sk: delta.sk },
          ConsistentRead: true,
          ProjectionExpression: '#m',
          ExpressionAttributeNames: { '#m': marker },
        }),
      );
      const stored = read.Item?.[marker];
      const appliedUpTo = markerSequence(stored);
      const rest = delta.changes.filter((c) => appliedUpTo === null || c.sequence > appliedUpTo);
      if (rest.length === 0) {
        tally.alreadyApplied += 1;
        return;
      }
      try {
        const out = await update(
          delta,
          marker,
          rest.reduce((sum, c) => sum + c.delta, 0),
          typeof stored === 'string'
            ? { expression: '#m = :stored', values: { ':stored': stored } }
            : { expression: 'attribute_not_exists(#m)', values: {} },
        );
        tally.updated += 1;
        tally.writeUnits += out.units;
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new TransientStoreError(`catalogue item ${delta.pk}/${delta.sk} kept changing under this consumer`);
  };

  return {
    async apply(shardId: string, deltas: readonly CatalogueDelta[]): Promise<CatalogueApplyResult> {
      const tally: CatalogueApplyResult = { updated: 0, alreadyApplied: 0, writeUnits: 0 };
      await eachLimited(deltas, concurrency, (delta) => applyOne(shardId, delta, tally));
      return tally;
    },
  };
};

export type CatalogueWriter = ReturnType<typeof makeCatalogueWriter>;
