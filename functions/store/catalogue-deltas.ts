import * as z from 'zod';
import { ENTITY_TYPES, type EntityType } from './keys';

/**
 * Catalogue counts from the table's change stream. An entity entry (`ENT#<type>#<name>`) that appears is one more
 * article naming the entity; one that disappears is one fewer; a rewrite of an existing entry (MODIFY) changes
 * nothing. So `articleCount` of a catalogue item converges on the number of entries in its entity partition, which
 * is exactly the number of articles that name it, whatever order, duplication or retries the writers went through.
 *
 * One batch's records are folded into one delta per catalogue item, stamped with the first and last stream
 * sequence numbers that touched it, so the writer (./catalogue-writer.ts) can apply each record exactly once.
 */

/** The slice of a DynamoDB stream record the consumer reads (Lambda's event and GetRecords share this shape). */
const StringValue = z.object({ S: z.string() });
export const StreamRecordSchema = z.object({
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  dynamodb: z.object({
    Keys: z.object({ pk: StringValue, sk: StringValue }),
    NewImage: z.object({ name: StringValue.optional() }).loose().optional(),
    SequenceNumber: z.string().regex(/^\d{1,40}$/),
  }),
});
export type StreamRecord = z.infer<typeof StreamRecordSchema>;

export interface CatalogueDelta {
  type: EntityType;
  /** The catalogue sort key: the entity's normalised name (as in its entry's partition key). */
  key: string;
  /** The display name of the newest entry that appeared, when one did. */
  name: string | null;
  /** The sum of `changes`. */
  delta: number;
  /** Each record folded in, in stream order; sequence numbers padded to 40 digits so they compare as strings. */
  changes: Array<{ sequence: string; delta: 1 | -1 }>;
}

/** Stream sequence numbers are decimal strings of 21 to 40 digits, increasing within a shard. */
export const padSequence = (sequence: string): string => sequence.padStart(40, '0');

const ENTITY_PREFIX = 'ENT#';
const isEntityType = (value: string): value is EntityType =>
  (ENTITY_TYPES as readonly string[]).includes(value);

/** `ENT#<type>#<normalised name>` -> type and name, or null for any other partition. */
export const entityOfPartition = (pk: string): { type: EntityType; key: string } | null => {
  if (!pk.startsWith(ENTITY_PREFIX)) return null;
  const rest = pk.slice(ENTITY_PREFIX.length);
  const at = rest.indexOf('#');
  const type = rest.slice(0, at);
  if (at < 0 || !isEntityType(type)) return null;
  return { type, key: rest.slice(at + 1) };
};

/** Folds a batch (records of one shard, in stream order) into one delta per catalogue item. */
export const catalogueDeltas = (records: readonly StreamRecord[]): CatalogueDelta[] => {
  const byItem = new Map<string, CatalogueDelta>();
  for (const record of records) {
    if (record.eventName === 'MODIFY') continue;
    const entity = entityOfPartition(record.dynamodb.Keys.pk.S);
    if (!entity) continue;
    const id = `${entity.type}#${entity.key}`;
    const delta = byItem.get(id) ?? { ...entity, name: null, delta: 0, changes: [] };
    const change = record.eventName === 'INSERT' ? 1 : -1;
    delta.delta += change;
    delta.changes.push({ sequence: padSequence(record.dynamodb.SequenceNumber), delta: change });
    const name = record.dynamodb.NewImage?.name?.S;
    if (record.eventName === 'INSERT' && name) delta.name = name;
    byItem.set(id, delta);
  }
  return [...byItem.values()];
};
