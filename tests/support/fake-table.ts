import { type AttributeValue, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/**
 * Backs a mocked DynamoDBDocumentClient with a Map, for handler tests that need the store to remember what it
 * wrote (duplicates, ordering). It understands exactly the requests the record writer (functions/store/
 * record-writer.ts) and the derive writer (functions/store/derive-writer.ts) send, and fails loudly on anything
 * else so the fake cannot silently drift from them. Integration tests cover real DynamoDB.
 *
 * - GetItem with a ProjectionExpression (`#name` placeholders resolved) and ConsistentRead: every read the writers
 *   make decides a write, so an eventually consistent one is refused here (DESIGN, pitfall 6).
 * - PutItem with the record writer's conditions, and ReturnValuesOnConditionCheckFailure 'ALL_OLD': the
 *   ConditionalCheckFailedException then carries the stored item MARSHALLED (`{ rev: { S: ... } }`), as the real
 *   SDK does (the document client does not unmarshall errors).
 * - Query `pk = :pk` (the derive writer's read of an article partition), BatchWriteItem puts and deletes.
 */
type Item = Record<string, unknown>;
type Names = Record<string, string>;
type Condition = {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Names;
  ExpressionAttributeValues?: Item;
  ReturnValuesOnConditionCheckFailure?: string;
};
type Key = { pk?: unknown; sk?: unknown };

const keyOf = (key: Key) => `${String(key.pk)}\u0000${String(key.sk)}`;

/** The conditions of record-writer.ts (`#seq` is `sequencer`) and the derive writer's month put, nothing else. */
const holds = (existing: Item | undefined, cond: Condition): boolean => {
  const expression = cond.ConditionExpression;
  if (!expression) return true;
  const values = cond.ExpressionAttributeValues ?? {};
  const names = cond.ExpressionAttributeNames ?? {};
  if (expression.includes('#seq') && names['#seq'] !== 'sequencer')
    throw new Error(`fake table: #seq is ${names['#seq']}, not sequencer`);
  const seq = values[':seq'];
  const stored = existing?.sequencer;
  const same = () => existing?.parserVersion === values[':pv'] && existing?.sourceETag === values[':etag'];
  switch (expression) {
    case 'attribute_not_exists(pk)':
      return !existing;
    case 'attribute_not_exists(pk) OR #seq < :seq':
      if (typeof seq !== 'string') throw new Error('fake table: no :seq');
      return !existing || (typeof stored === 'string' && stored < seq);
    case 'attribute_not_exists(pk) OR (#seq = :seq AND NOT (parserVersion = :pv AND sourceETag = :etag))':
      return !existing || (stored === seq && !same());
    case '#seq = :seq AND NOT (parserVersion = :pv AND sourceETag = :etag)':
      return existing !== undefined && stored === seq && !same();
    default:
      throw new Error(`fake table: unknown condition ${expression}`);
  }
};

/** A document value as DynamoDB's wire format (what an error's `Item` holds). */
export const marshallValue = (value: unknown): AttributeValue => {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value instanceof Uint8Array) return { B: value };
  if (Array.isArray(value)) return { L: value.map(marshallValue) };
  if (typeof value === 'object')
    return {
      M: Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, marshallValue(v)]),
      ),
    };
  throw new Error(`fake table: cannot marshall ${typeof value}`);
};
const marshallItem = (item: Item): Record<string, AttributeValue> =>
  Object.fromEntries(
    Object.entries(item)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, marshallValue(v)]),
  );

/** `a, #b, c` with `#b` resolved through the names: the attributes a projection keeps. */
const projected = (item: Item, projection: string | undefined, names: Names = {}): Item => {
  if (!projection) return { ...item };
  const out: Item = {};
  for (const raw of projection.split(',').map((p) => p.trim())) {
    const name = raw.startsWith('#') ? names[raw] : raw;
    if (!name) throw new Error(`fake table: unresolved name ${raw} in ${projection}`);
    if (name in item) out[name] = item[name];
  }
  return out;
};

/** A Map of `pk\0sk` -> item that also indexes keys by partition, so Query does not walk the whole table. */
class ItemMap extends Map<string, Item> {
  readonly byPk = new Map<string, Set<string>>();
  override set(key: string, item: Item) {
    const pk = String(item.pk);
    const keys = this.byPk.get(pk) ?? new Set<string>();
    this.byPk.set(pk, keys.add(key));
    return super.set(key, item);
  }
  override delete(key: string) {
    this.byPk.get(key.slice(0, key.indexOf('\u0000')))?.delete(key);
    return super.delete(key);
  }
  partition(pk: string): Item[] {
    return [...(this.byPk.get(pk) ?? [])].sort().flatMap((k) => {
      const item = this.get(k);
      return item ? [{ ...item }] : [];
    });
  }
}

export type FakeCommand = 'Query' | 'Get' | 'Put' | 'Batch';

/** Lets a test make one command fail (throttling, 5xx, timeouts) for the inputs it picks. */
export interface FaultInjector {
  /** Fails the command before it reaches the table (nothing written). */
  fault?: (command: FakeCommand, input: unknown) => Error | undefined;
  /** Fails the command AFTER it reached the table (written, the response lost). */
  afterCommit?: (command: FakeCommand, input: unknown) => Error | undefined;
  /** Awaited before each command: a test can hold commands back to interleave concurrent writers. */
  before?: (command: FakeCommand, input: unknown) => Promise<void>;
}

/** What the table's stream would show: every write that changed something, in order. */
export interface Change {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  key: string;
  item: Item | undefined;
}

export const installFakeTable = (ddb: AwsClientStub<DynamoDBDocumentClient>, faults: FaultInjector = {}) => {
  const items = new ItemMap();
  const changes: Change[] = [];
  const run = async <T>(command: FakeCommand, input: unknown, apply: () => T): Promise<T> => {
    await faults.before?.(command, input);
    const error = faults.fault?.(command, input);
    if (error) throw error;
    const out = apply();
    const lost = faults.afterCommit?.(command, input);
    if (lost) throw lost;
    return out;
  };
  const record = (key: string, item: Item | undefined, existed: boolean) =>
    changes.push({ eventName: item ? (existed ? 'MODIFY' : 'INSERT') : 'REMOVE', key, item });
  ddb
    .on(QueryCommand)
    .callsFake(
      (input: {
        KeyConditionExpression?: string;
        ExpressionAttributeValues: Item;
        ConsistentRead?: boolean;
      }) =>
        run('Query', input, () => {
          if (input.ConsistentRead !== true)
            throw new Error('fake table: a writer read without ConsistentRead');
          if (input.KeyConditionExpression !== 'pk = :pk')
            throw new Error(`fake table: unknown key condition ${input.KeyConditionExpression}`);
          return { Items: items.partition(String(input.ExpressionAttributeValues[':pk'])) };
        }),
    );
  ddb
    .on(GetCommand)
    .callsFake(
      (input: {
        Key: Key;
        ProjectionExpression?: string;
        ExpressionAttributeNames?: Names;
        ConsistentRead?: boolean;
      }) =>
        run('Get', input, () => {
          if (input.ConsistentRead !== true)
            throw new Error('fake table: a writer read without ConsistentRead');
          const item = items.get(keyOf(input.Key));
          return item
            ? { Item: projected(item, input.ProjectionExpression, input.ExpressionAttributeNames) }
            : {};
        }),
    );
  ddb.on(PutCommand).callsFake((input: Condition & { Item: Item }) =>
    run('Put', input, () => {
      const key = keyOf(input.Item);
      const existing = items.get(key);
      if (!holds(existing, input)) {
        const failure = new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: { httpStatusCode: 400 },
          ...(input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && existing
            ? { Item: marshallItem(existing) }
            : {}),
        });
        throw failure;
      }
      items.set(key, { ...input.Item });
      record(key, { ...input.Item }, existing !== undefined);
      return { ConsumedCapacity: { CapacityUnits: 1 } };
    }),
  );
  ddb
    .on(BatchWriteCommand)
    .callsFake(
      (input: {
        RequestItems: Record<string, Array<{ PutRequest?: { Item: Item }; DeleteRequest?: { Key: Key } }>>;
      }) =>
        run('Batch', input, () => {
          let units = 0;
          for (const requests of Object.values(input.RequestItems))
            for (const request of requests) {
              units += 1;
              if (request.PutRequest) {
                const key = keyOf(request.PutRequest.Item);
                const existed = items.has(key);
                items.set(key, { ...request.PutRequest.Item });
                record(key, { ...request.PutRequest.Item }, existed);
              } else if (request.DeleteRequest) {
                const key = keyOf(request.DeleteRequest.Key);
                if (items.delete(key)) record(key, undefined, true);
              } else throw new Error('fake table: empty write request');
            }
          return { UnprocessedItems: {}, ConsumedCapacity: [{ CapacityUnits: units }] };
        }),
    );
  return Object.assign(items, { changes });
};

/** The fake table's changes as the DynamoDB stream records the consumers read (keys, and string attributes). */
export const streamRecordsOf = (changes: readonly Change[], from = 0) =>
  changes.slice(from).map((change, i) => {
    const at = change.key.indexOf('\u0000');
    const image = change.item
      ? Object.fromEntries(
          Object.entries(change.item)
            .filter(([, v]) => typeof v === 'string')
            .map(([k, v]) => [k, { S: String(v) }]),
        )
      : undefined;
    return {
      eventName: change.eventName,
      dynamodb: {
        Keys: { pk: { S: change.key.slice(0, at) }, sk: { S: change.key.slice(at + 1) } },
        ...(image ? { NewImage: image } : {}),
        SequenceNumber: String(from + i + 1),
      },
    };
  });
