import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Article } from '../core/article';
import { eachLimited } from '../shared/each-limited';
import type { BodyReader } from './article-body';
import { CorruptItemError, decodeBody } from './article-item';
import { batchWrite, type WriteRequestItem } from './batch-write';
import { derive } from './derive';
import { isConditionFailure, isTransactionRefusal, retryingTransactionConflicts } from './errors';
import { decodeKeyList, encodeKeyList } from './key-lists';
import { keys, parseItemKey } from './keys';
import { AppliedItemSchema, type AppliedRead, RecordItemSchema, type RecordRead } from './read-schemas';

/**
 * The derive consumer's side of the store: brings what the table holds for some articles in line with their
 * records. A stream record is only a trigger (DESIGN, pitfall 1): whatever the stream delivered, late, twice or out
 * of order, this reads the CURRENT record (strongly consistent) and derives from it (./derive.ts). Per article:
 *
 *   read      the record and APPLIED (one Query of `ART#<id>`)
 *   done?     APPLIED.rev = record.rev and indexedAt set           -> nothing to do
 *   same?     the items derive from the same content and parser   -> only stamp APPLIED with the new rev
 *   else      (1) APPLIED.keys := old keys + new keys, no indexedAt (only if there are new keys)
 *             (2) BatchWriteItem: put every derived item, delete every old key the record no longer derives
 *             (3) the month the date entries are in, if not known to exist
 *             (4) APPLIED := { rev, keys: new keys, indexedAt }
 *
 * APPLIED lists every item that may exist for the article at every moment, so a crash anywhere leaves nothing
 * that a later run would not find and remove, and a later run simply does the steps again. Each article's items
 * have one writer: records of one item reach one stream shard, in order, one batch at a time.
 */
export interface DeriveWriterOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Reads bodies kept in the body bucket. */
  bodies?: BodyReader;
  now?: () => Date;
  /** Articles read at once (default 16). */
  concurrency?: number;
}

export interface DeriveResult {
  /** Articles whose derived items were (re)written. */
  derived: number;
  /** Articles whose APPLIED only took the new rev (unchanged content). */
  stamped: number;
  /** Articles already current. */
  current: number;
  /** Records whose article could not be read (body missing or corrupt): left for the verifier, logged by the caller. */
  unreadable: string[];
  itemsPut: number;
  itemsDeleted: number;
  writeUnits: number;
}

type State = { id: string; record: RecordRead | null; applied: AppliedRead | null };
type Plan = {
  id: string;
  rev: string;
  derivedFrom: string;
  oldKeys: string[];
  newKeys: string[];
  puts: Array<Record<string, unknown>>;
  month: string | null;
  /** Only APPLIED changes (same derived items). */
  stampOnly: boolean;
};

/** What the derived items of a record are a function of. */
const derivedFromOf = (record: RecordRead | null): string =>
  record?.status === 'ingested'
    ? `${record.contentHash}|${record.parserVersion}|${record.repairGen ?? 0}`
    : 'none';

/**
 * Lists a month, unless it is listed already (then the put is refused: the month item is shared by every article
 * of the month and never changes). True when this put created it.
 */
const putMonth = (doc: DynamoDBDocumentClient, TableName: string, month: string): Promise<boolean> =>
  doc
    .send(
      new PutCommand({ TableName, Item: keys.month(month), ConditionExpression: 'attribute_not_exists(pk)' }),
    )
    .then(
      () => true,
      (error: unknown) => {
        if (isConditionFailure(error)) return false;
        throw error;
      },
    );

export const makeDeriveWriter = (options: DeriveWriterOptions) => {
  const { tableName: TableName } = options;
  const doc = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const now = options.now ?? (() => new Date());
  const concurrency = options.concurrency ?? 16;
  /** Months known to be listed: the month item is shared by every article of the month, so it is put once. */
  const knownMonths = new Set<string>();

  const read = async (id: string): Promise<State> => {
    const out = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.articlePartition(id) },
        ConsistentRead: true,
      }),
    );
    const state: State = { id, record: null, applied: null };
    for (const item of out.Items ?? []) {
      if (item.sk === 'RECORD') state.record = RecordItemSchema.parse(item);
      if (item.sk === 'APPLIED') state.applied = AppliedItemSchema.parse(item);
    }
    return state;
  };

  const articleOf = async (record: RecordRead): Promise<Article> => {
    const body = record.body ?? (record.bodyKey ? await options.bodies?.get(record.bodyKey) : null);
    if (!body) throw new CorruptItemError(`body ${record.bodyKey ?? '(none)'} is missing`);
    return decodeBody(body);
  };

  const plan = async ({ id, record, applied }: State, result: DeriveResult): Promise<Plan | null> => {
    if (record && applied?.rev === record.rev && applied.indexedAt) {
      result.current += 1;
      return null;
    }
    const rev = record?.rev ?? 'none';
    const derivedFrom = derivedFromOf(record);
    const oldKeys = decodeKeyList(applied?.keys);
    const base = { id, rev, derivedFrom, oldKeys };
    if (applied?.indexedAt && applied.derivedFrom === derivedFrom)
      return { ...base, newKeys: oldKeys, puts: [], month: null, stampOnly: true };
    let article: Article | null = null;
    if (record?.status === 'ingested') {
      try {
        article = await articleOf(record);
      } catch (error) {
        if (!(error instanceof CorruptItemError)) throw error;
        result.unreadable.push(id);
        return null;
      }
    }
    const { entries, month } = derive(article);
    return { ...base, newKeys: [...entries.keys()], puts: [...entries.values()], month, stampOnly: false };
  };

  const appliedItem = (p: Plan, keyList: readonly string[], indexedAt: string | null) => ({
    PutRequest: {
      Item: {
        ...keys.applied(p.id),
        rev: p.rev,
        derivedFrom: indexedAt ? p.derivedFrom : 'widened',
        keys: encodeKeyList(keyList),
        ...(indexedAt ? { indexedAt } : {}),
      },
    },
  });

  const ensureMonth = async (month: string): Promise<number> => {
    if (knownMonths.has(month)) return 0;
    await putMonth(doc, TableName, month);
    knownMonths.add(month);
    // One write unit, billed whether the put created the month or found it listed already.
    return 1;
  };

  return {
    /** Brings the derived items of these articles (ids, each once) in line with their records. */
    async apply(ids: readonly string[]): Promise<DeriveResult> {
      const result: DeriveResult = {
        derived: 0,
        stamped: 0,
        current: 0,
        unreadable: [],
        itemsPut: 0,
        itemsDeleted: 0,
        writeUnits: 0,
      };
      const plans: Plan[] = [];
      await eachLimited(ids, concurrency, async (id) => {
        const p = await plan(await read(id), result);
        if (p) plans.push(p);
      });
      const full = plans.filter((p) => !p.stampOnly);
      // (1) Before any item is written, APPLIED lists it.
      const widened = full.flatMap((p) => {
        const old = new Set(p.oldKeys);
        return p.newKeys.some((k) => !old.has(k))
          ? [appliedItem(p, [...new Set([...p.oldKeys, ...p.newKeys])], null)]
          : [];
      });
      result.writeUnits += (await batchWrite(doc, TableName, widened, concurrency)).writeUnits;
      // (2) The items themselves.
      const writes: WriteRequestItem[] = [];
      for (const p of full) {
        const wanted = new Set(p.newKeys);
        for (const item of p.puts) writes.push({ PutRequest: { Item: item } });
        for (const key of p.oldKeys)
          if (!wanted.has(key)) writes.push({ DeleteRequest: { Key: parseItemKey(key) } });
        result.itemsPut += p.puts.length;
        result.itemsDeleted += p.oldKeys.length - p.oldKeys.filter((k) => wanted.has(k)).length;
      }
      result.writeUnits += (await batchWrite(doc, TableName, writes, concurrency)).writeUnits;
      // (3) The months that list them.
      for (const month of new Set(full.flatMap((p) => (p.month ? [p.month] : []))))
        result.writeUnits += await ensureMonth(month);
      // (4) Done: exactly these items are in.
      const at = now().toISOString();
      const marks = plans.map((p) => appliedItem(p, p.newKeys, at));
      result.writeUnits += (await batchWrite(doc, TableName, marks, concurrency)).writeUnits;
      result.derived += full.length;
      result.stamped += plans.length - full.length;
      return result;
    },
  };
};

export type DeriveWriter = ReturnType<typeof makeDeriveWriter>;

/**
 * The verifier's repairs of derived items (functions/verify): the only writes to them besides the derive consumer,
 * and both conditional, so a repair never touches an item the consumer has written since it was examined.
 */
export const makeDerivedRepairs = (options: { client: DynamoDBClient; tableName: string }) => {
  const doc = DynamoDBDocumentClient.from(options.client);
  const TableName = options.tableName;
  const refusedIsFine = (error: unknown) => {
    if (isConditionFailure(error) || isTransactionRefusal(error)) return false;
    throw error;
  };
  return {
    /**
     * Removes an item no record accounts for, if it still holds what was examined and (given `guard`) its
     * article's record is still the one examined: `recordRev` null means there was none. The check and the delete
     * are one transaction, so an item a record written since derives is never removed. True when removed.
     */
    async remove(
      pk: string,
      sk: string,
      contentHash: string | null,
      guard?: { id: string; recordRev: string | null },
    ): Promise<boolean> {
      const itemCondition =
        contentHash === null
          ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(contentHash)' }
          : { ConditionExpression: 'contentHash = :h', ExpressionAttributeValues: { ':h': contentHash } };
      if (!guard?.id)
        return doc
          .send(new DeleteCommand({ TableName, Key: { pk, sk }, ...itemCondition }))
          .then(() => true, refusedIsFine);
      const recordCondition =
        guard.recordRev === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': guard.recordRev } };
      const transaction = new TransactWriteCommand({
        // The same token on every attempt: a transaction whose answer was lost is not applied twice (and does not
        // come back refused by its own delete).
        ClientRequestToken: randomUUID(),
        TransactItems: [
          { ConditionCheck: { TableName, Key: keys.record(guard.id), ...recordCondition } },
          { Delete: { TableName, Key: { pk, sk }, ...itemCondition } },
        ],
      });
      // A conflict with another write to the record or the item is tried again; a refused condition is an answer.
      return retryingTransactionConflicts(() => doc.send(transaction)).then(() => true, refusedIsFine);
    },
    /** Lists a month that holds dated articles. */
    putMonth: (month: string): Promise<boolean> => putMonth(doc, TableName, month),
  };
};
