import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchExecuteStatementCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/**
 * Backs a mocked DynamoDBDocumentClient with a Map, for handler tests that need the store to remember what it
 * wrote (duplicates, ordering). It understands exactly the expressions the writer uses, and fails loudly on
 * anything else so the fake cannot silently drift from the writer. Integration tests cover real DynamoDB.
 */
type Item = Record<string, unknown>;
type Condition = { ConditionExpression?: string; ExpressionAttributeValues?: Item };
type Key = { pk?: unknown; sk?: unknown };

const keyOf = (key: Key) => `${String(key.pk)}\u0000${String(key.sk)}`;

/** The revision conditions of functions/store/write-actions.ts, and nothing else. */
const holds = (existing: Item | undefined, cond: Condition): boolean => {
  if (!cond.ConditionExpression) return true;
  const stored = existing?.rev;
  const has = typeof stored === 'string';
  const rev = cond.ExpressionAttributeValues?.[':rev'];
  const expression = cond.ConditionExpression;
  if (expression === 'attribute_not_exists(#rev)') return !has;
  if (typeof rev !== 'string') throw new Error(`fake table: no :rev for ${expression}`);
  if (expression === '#rev = :rev') return has && stored === rev;
  if (expression === 'attribute_not_exists(#rev) AND #seq = :rev') return !has && existing?.sequencer === rev;
  if (expression === 'attribute_not_exists(#rev) OR #rev <= :rev') return !has || stored <= rev;
  if (expression === 'attribute_not_exists(#rev) OR #rev < :rev') return !has || stored < rev;
  throw new Error(`fake table: unknown condition ${expression}`);
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
    return [...(this.byPk.get(pk) ?? [])].flatMap((k) => {
      const item = this.get(k);
      return item ? [{ ...item }] : [];
    });
  }
}

const applyUpdate = (items: ItemMap, key: Key, expression: string, values: Item = {}) => {
  const item: Item = { ...(items.get(keyOf(key)) ?? { pk: key.pk, sk: key.sk }) };
  if (expression === 'REMOVE pending, stale') {
    delete item.pending;
    delete item.stale;
  } else if (expression.startsWith('ADD articleCount :d')) {
    item.articleCount = Number(item.articleCount ?? 0) + Number(values[':d']);
    if (expression.includes('SET')) {
      item.type = values[':type'];
      item.name = values[':name'];
    }
  } else throw new Error(`fake table: unknown update ${expression}`);
  items.set(keyOf(key), item);
};

/** Lets a test make one command fail (throttling, 5xx, timeouts) for the inputs it picks. */
export interface FaultInjector {
  fault?: (
    command: 'Query' | 'Get' | 'Put' | 'Update' | 'Delete' | 'Batch',
    input: unknown,
  ) => Error | undefined;
  /** Awaited before each command: a test can hold commands back to interleave concurrent writers. */
  before?: () => Promise<void>;
}

/** What the table's stream would show: every write, in order (REMOVE of an absent item is no change). */
export interface Change {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  key: string;
  item: Item | undefined;
}

export const installFakeTable = (ddb: AwsClientStub<DynamoDBDocumentClient>, faults: FaultInjector = {}) => {
  const items = new ItemMap();
  const changes: Change[] = [];
  const maybeFail = async (command: Parameters<NonNullable<FaultInjector['fault']>>[0], input: unknown) => {
    await faults.before?.();
    const error = faults.fault?.(command, input);
    if (error) throw error;
  };
  const failed = () =>
    new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
  const record = (key: string, item: Item | undefined, existed: boolean) =>
    changes.push({ eventName: item ? (existed ? 'MODIFY' : 'INSERT') : 'REMOVE', key, item });
  ddb.on(QueryCommand).callsFake(async (input: { ExpressionAttributeValues: Item }) => {
    await maybeFail('Query', input);
    return { Items: items.partition(String(input.ExpressionAttributeValues[':pk'])) };
  });
  ddb.on(GetCommand).callsFake(async (input: { Key: Key }) => {
    await maybeFail('Get', input);
    const item = items.get(keyOf(input.Key));
    return item ? { Item: { ...item } } : {};
  });
  ddb.on(PutCommand).callsFake(async (input: Condition & { Item: Item }) => {
    await maybeFail('Put', input);
    const key = keyOf(input.Item);
    if (!holds(items.get(key), input)) throw failed();
    const existed = items.has(key);
    items.set(key, { ...input.Item });
    record(key, { ...input.Item }, existed);
    return { ConsumedCapacity: { CapacityUnits: 1 } };
  });
  ddb.on(DeleteCommand).callsFake(async (input: Condition & { Key: Key }) => {
    await maybeFail('Delete', input);
    const key = keyOf(input.Key);
    if (!holds(items.get(key), input)) throw failed();
    if (items.delete(key)) record(key, undefined, true);
    return { ConsumedCapacity: { CapacityUnits: 1 } };
  });
  ddb.on(UpdateCommand).callsFake(async (input: Condition & { Key: Key; UpdateExpression: string }) => {
    await maybeFail('Update', input);
    const key = keyOf(input.Key);
    if (!holds(items.get(key), input)) throw failed();
    const existed = items.has(key);
    applyUpdate(items, input.Key, input.UpdateExpression, input.ExpressionAttributeValues);
    record(key, items.get(key), existed);
    return { ConsumedCapacity: { CapacityUnits: 1 } };
  });
  // PartiQL as the writer uses it: batches of INSERT INTO "t" VALUE {'name': ?, ...}, which fail on an existing key.
  ddb
    .on(BatchExecuteStatementCommand)
    .callsFake(async (input: { Statements: Array<{ Statement: string; Parameters: unknown[] }> }) => {
      await maybeFail('Batch', input);
      const Responses = input.Statements.map(({ Statement, Parameters }) => {
        const names = insertNames(Statement);
        const item: Item = Object.fromEntries(names.map((name, i) => [name, Parameters[i]]));
        const key = keyOf(item);
        if (items.has(key))
          return { Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists' } };
        items.set(key, { ...item });
        record(key, { ...item }, false);
        return {};
      });
      return { Responses };
    });
  return Object.assign(items, { changes });
};

const INSERT = /^INSERT INTO "[^"]+" VALUE \{(.*)\}$/;
/** The attribute names of an INSERT statement's VALUE, in order (every value is a `?` parameter). */
export const insertNames = (statement: string): string[] => {
  const body = INSERT.exec(statement)?.[1];
  if (body === undefined) throw new Error(`fake table: unknown statement ${statement}`);
  return body.split(', ').map((pair) => {
    const name = /^'([^']+)': \?$/.exec(pair)?.[1];
    if (!name) throw new Error(`fake table: unknown VALUE part ${pair}`);
    return name;
  });
};

/** The fake table's changes as the DynamoDB stream records the consumer reads (string attributes only). */
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
