import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
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

const holds = (existing: Item | undefined, cond: Condition): boolean => {
  if (!cond.ConditionExpression) return true;
  const stored = existing?.sequencer;
  if (cond.ConditionExpression === 'attribute_not_exists(#seq)') return stored === undefined;
  const seq = cond.ExpressionAttributeValues?.[':seq'];
  if (cond.ConditionExpression === '#seq = :seq' && typeof seq === 'string') return stored === seq;
  throw new Error(`fake table: unknown condition ${cond.ConditionExpression}`);
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
  if (expression === 'REMOVE pending') delete item.pending;
  else if (expression.startsWith('ADD articleCount :d')) {
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
  fault?: (command: 'Query' | 'Put' | 'Update' | 'TransactWrite', input: unknown) => Error | undefined;
}

export const installFakeTable = (ddb: AwsClientStub<DynamoDBDocumentClient>, faults: FaultInjector = {}) => {
  const items = new ItemMap();
  const maybeFail = (command: Parameters<NonNullable<FaultInjector['fault']>>[0], input: unknown) => {
    const error = faults.fault?.(command, input);
    if (error) throw error;
  };
  ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Item }) => {
    maybeFail('Query', input);
    return { Items: items.partition(String(input.ExpressionAttributeValues[':pk'])) };
  });
  ddb.on(PutCommand).callsFake((input: Condition & { Item: Item }) => {
    maybeFail('Put', input);
    if (!holds(items.get(keyOf(input.Item)), input))
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    items.set(keyOf(input.Item), { ...input.Item });
    return { ConsumedCapacity: { CapacityUnits: 1 } };
  });
  ddb.on(UpdateCommand).callsFake((input: Condition & { Key: Key; UpdateExpression: string }) => {
    maybeFail('Update', input);
    if (!holds(items.get(keyOf(input.Key)), input))
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    applyUpdate(items, input.Key, input.UpdateExpression, input.ExpressionAttributeValues);
    return { ConsumedCapacity: { CapacityUnits: 1 } };
  });
  ddb.on(TransactWriteCommand).callsFake((input: { TransactItems: Array<Record<string, Item>> }) => {
    maybeFail('TransactWrite', input);
    const reasons = input.TransactItems.map((action) => {
      const [kind, body] = Object.entries(action)[0] ?? [];
      if (!kind || !body) throw new Error('fake table: empty action');
      const key = kind === 'Put' ? (body.Item as Key) : (body.Key as Key);
      return { Code: holds(items.get(keyOf(key)), body as Condition) ? 'None' : 'ConditionalCheckFailed' };
    });
    if (reasons.some((r) => r.Code !== 'None'))
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: reasons,
      });
    for (const action of input.TransactItems) {
      if (action.Put) items.set(keyOf(action.Put.Item as Key), { ...(action.Put.Item as Item) });
      if (action.Delete) items.delete(keyOf(action.Delete.Key as Key));
      if (action.Update)
        applyUpdate(
          items,
          action.Update.Key as Key,
          String(action.Update.UpdateExpression),
          action.Update.ExpressionAttributeValues as Item,
        );
    }
    return { ConsumedCapacity: [{ CapacityUnits: 2 * input.TransactItems.length }] };
  });
  return items;
};
