import * as z from 'zod';
import { ENTITY_TYPES, type EntityType, keys } from './keys';

/**
 * Entity catalogue counts from the table's change stream (DESIGN, pitfall 3: counts from membership). DynamoDB
 * emits exactly one INSERT when an entity entry (`ENT#<type>#<name>`) is created and one REMOVE when it is deleted,
 * and nothing when the derive consumer puts an identical entry again; so +1 per INSERT and -1 per REMOVE converges
 * on the number of entries in the partition, which is the number of articles naming the entity.
 *
 * A batch is folded into one delta per catalogue item; ./count-writer.ts applies each record exactly once.
 */
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

export interface CountDelta {
  /** The catalogue item's key. */
  pk: string;
  sk: string;
  type: EntityType;
  /** The display name of the newest entry that appeared, if any did. */
  name: string | null;
  /** Each record folded in, sequence numbers padded to 40 digits so they compare as strings. */
  changes: Array<{ sequence: string; delta: 1 | -1 }>;
}

/** Stream sequence numbers are decimal strings of 21 to 40 digits, increasing within a shard. */
export const padSequence = (sequence: string): string => sequence.padStart(40, '0');

const isEntityType = (value: string): value is EntityType =>
  (ENTITY_TYPES as readonly string[]).includes(value);

/** The catalogue item an entity entry's partition counts towards, or null for any other partition. */
export const counterOfPartition = (pk: string): Pick<CountDelta, 'pk' | 'sk' | 'type'> | null => {
  if (!pk.startsWith('ENT#')) return null;
  const rest = pk.slice('ENT#'.length);
  const at = rest.indexOf('#');
  const type = rest.slice(0, at);
  if (at < 0 || !isEntityType(type)) return null;
  return { ...keys.entityCatalogue(type, rest.slice(at + 1)), type };
};

/** Folds a batch's records into one delta per catalogue item. */
export const countDeltas = (records: readonly StreamRecord[]): CountDelta[] => {
  const byItem = new Map<string, CountDelta>();
  for (const record of records) {
    if (record.eventName === 'MODIFY') continue;
    const target = counterOfPartition(record.dynamodb.Keys.pk.S);
    if (!target) continue;
    const id = `${target.pk}\u0000${target.sk}`;
    const delta = byItem.get(id) ?? { ...target, name: null, changes: [] };
    const change = record.eventName === 'INSERT' ? 1 : -1;
    delta.changes.push({ sequence: padSequence(record.dynamodb.SequenceNumber), delta: change });
    const name = record.dynamodb.NewImage?.name?.S;
    if (record.eventName === 'INSERT' && name) delta.name = name;
    byItem.set(id, delta);
  }
  return [...byItem.values()];
};

/** The span of stream positions a batch covers: every record of the shard between the two was in the batch. */
export const spanOf = (records: readonly StreamRecord[]): { lo: string; hi: string } | null => {
  if (records.length === 0) return null;
  const sequences = records.map((r) => padSequence(r.dynamodb.SequenceNumber)).sort();
  return { lo: sequences[0] as string, hi: sequences.at(-1) as string };
};
