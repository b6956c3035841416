import * as z from 'zod';
import { ENTITY_TYPES, type EntityType, keys } from './keys';

/**
 * Catalogue counts from the table's change stream. An index entry that appears is one more article under its
 * catalogue item; one that disappears is one fewer; a rewrite of an existing entry (MODIFY) changes nothing:
 * - an entity entry (`ENT#<type>#<name>`) counts towards the entity's catalogue item (`ENTCAT#<type>` / name);
 * - a date entry (`DATE#<YYYY-MM>`) counts towards its month's item (`DATECAT` / month), which the reader uses to
 *   know which month partitions to read.
 * So each `articleCount` converges on the number of entries in its partition, which is exactly the number of
 * articles it stands for, whatever order, duplication or retries the writers went through.
 *
 * One batch's records are folded into one delta per catalogue item, with the stream sequence number of each
 * record folded in, so the writer (./catalogue-writer.ts) can apply each record exactly once.
 */

/** The slice of a DynamoDB stream record the consumer reads (Lambda's event and GetRecords share this shape). */
const StringValue = z.object({ S: z.string() });
export const StreamRecordSchema = z.object({
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  dynamodb: z.object({
    Keys: z.object({ pk: StringValue, sk: StringValue }),
    NewImage: z
      .object({ name: StringValue.optional(), rev: StringValue.optional(), id: StringValue.optional() })
      .loose()
      .optional(),
    SequenceNumber: z.string().regex(/^\d{1,40}$/),
  }),
});
export type StreamRecord = z.infer<typeof StreamRecordSchema>;

export interface CatalogueDelta {
  /** The catalogue item's key. */
  pk: string;
  sk: string;
  /** Entity items also carry the type and the display name of the newest entry that appeared. */
  entity: { type: EntityType; name: string | null } | null;
  /** The sum of `changes`. */
  delta: number;
  /** Each record folded in, in stream order; sequence numbers padded to 40 digits so they compare as strings. */
  changes: Array<{ sequence: string; delta: 1 | -1 }>;
}

/** Stream sequence numbers are decimal strings of 21 to 40 digits, increasing within a shard. */
export const padSequence = (sequence: string): string => sequence.padStart(40, '0');

const isEntityType = (value: string): value is EntityType =>
  (ENTITY_TYPES as readonly string[]).includes(value);
const MONTH = /^\d{4}-\d{2}$/;

/** The catalogue item an index entry's partition counts towards, or null for any other partition. */
export const catalogueOfPartition = (pk: string): Pick<CatalogueDelta, 'pk' | 'sk' | 'entity'> | null => {
  if (pk.startsWith('ENT#')) {
    const rest = pk.slice('ENT#'.length);
    const at = rest.indexOf('#');
    const type = rest.slice(0, at);
    if (at < 0 || !isEntityType(type)) return null;
    return { pk: keys.entityCataloguePartition(type), sk: rest.slice(at + 1), entity: { type, name: null } };
  }
  if (pk.startsWith('DATE#')) {
    const month = pk.slice('DATE#'.length);
    return MONTH.test(month) ? { ...keys.dateCatalogue(month), entity: null } : null;
  }
  return null;
};

/** Folds a batch (records of one shard, in stream order) into one delta per catalogue item. */
export const catalogueDeltas = (records: readonly StreamRecord[]): CatalogueDelta[] => {
  const byItem = new Map<string, CatalogueDelta>();
  for (const record of records) {
    if (record.eventName === 'MODIFY') continue;
    const target = catalogueOfPartition(record.dynamodb.Keys.pk.S);
    if (!target) continue;
    const id = `${target.pk}\u0000${target.sk}`;
    const delta = byItem.get(id) ?? { ...target, delta: 0, changes: [] };
    const change = record.eventName === 'INSERT' ? 1 : -1;
    delta.delta += change;
    delta.changes.push({ sequence: padSequence(record.dynamodb.SequenceNumber), delta: change });
    const name = record.dynamodb.NewImage?.name?.S;
    if (delta.entity && record.eventName === 'INSERT' && name) delta.entity.name = name;
    byItem.set(id, delta);
  }
  return [...byItem.values()];
};
