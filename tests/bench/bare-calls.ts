import {
  type AttributeValue,
  type ConsumedCapacity,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DEFAULT_LIMIT } from '../../functions/api/params';
import { DATE_SHARDS, type EntityType, keys, monthOf, normaliseName } from '../../functions/store/keys';
import { driverOf, searchWindow } from '../../functions/store/read-search';
import { round } from './stats';

/**
 * The bare DynamoDB call(s) behind each API route, exactly as the reader issues them (same keys, limits and
 * direction; strongly consistent, as every reader's call now is), on the low-level client: no document marshalling, no gunzip, no validation.
 * Used as the load bench's floor and, with ReturnConsumedCapacity, for the read units per page.
 */
export interface LoadTargets {
  ids: string[];
  from: string;
  to: string;
  entity: { type: EntityType; name: string };
  terms: string[];
}

export type RouteName = 'byId' | 'byDate' | 'byEntity' | 'search';
export const ROUTES: readonly RouteName[] = ['byId', 'byDate', 'byEntity', 'search'];

export const ROUTE_LABELS: Record<RouteName, string> = {
  byId: 'GET /articles/{id}  vs GetItem',
  byDate: 'GET /articles?from&to  vs Query',
  byEntity: 'GET /entities/{type}/{name}/articles  vs Query',
  search: `GET /search?q (2 terms)  vs one window of the driver term`,
};

/** The API path of a route; by id cycles through the target ids. */
export const apiPath = (route: RouteName, t: LoadTargets, n = 0): string => {
  if (route === 'byId') return `/articles/${t.ids[n % t.ids.length]}`;
  if (route === 'byDate') return `/articles?from=${t.from}&to=${t.to}`;
  if (route === 'byEntity') return `/entities/${t.entity.type}/${encodeURIComponent(t.entity.name)}/articles`;
  return `/search?q=${encodeURIComponent(t.terms.join(' '))}`;
};

/** `limit`: the most items the call can return (its Limit), so a page's reads are bounded by the sum. */
type Capacity = { capacity: number; bytes: number; items: number; limit: number };

/** DynamoDB's item size rules on the wire format: names plus values (see ./ingest-sizes.ts for the same). */
const valueSize = (v: AttributeValue): number => {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/[.-]/g, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.byteLength;
  if (v.L !== undefined) return 3 + v.L.reduce((s, x) => s + valueSize(x) + 1, 0);
  if (v.M !== undefined) return 3 + itemBytes(v.M) + Object.keys(v.M).length;
  if (v.SS !== undefined) return v.SS.reduce((s, x) => s + Buffer.byteLength(x), 0);
  return 1;
};
export const itemBytes = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce((s, [name, v]) => s + Buffer.byteLength(name) + valueSize(v), 0);

const units = (c: ConsumedCapacity | undefined) => c?.CapacityUnits ?? 0;

/** One bare call per route; `track` sums what DynamoDB Local reports and the bytes it returned. */
export const makeBareCalls = (client: DynamoDBClient, TableName: string, t: LoadTargets) => {
  const query = async (
    pk: string,
    extra: Partial<ConstructorParameters<typeof QueryCommand>[0]>,
    limit: number,
    forward: boolean,
  ): Promise<Capacity> => {
    const out = await client.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ScanIndexForward: forward,
        Limit: limit,
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
        ...extra,
      }),
    );
    const items = out.Items ?? [];
    return {
      capacity: units(out.ConsumedCapacity),
      bytes: items.reduce((s, i) => s + itemBytes(i), 0),
      items: items.length,
      limit,
    };
  };
  const calls: Record<RouteName, (n: number) => Promise<Capacity[]>> = {
    byId: async (n) => {
      const out = await client.send(
        new GetItemCommand({
          TableName,
          Key: { pk: { S: keys.record(t.ids[n % t.ids.length] ?? '').pk }, sk: { S: 'RECORD' } },
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      return [
        {
          capacity: units(out.ConsumedCapacity),
          bytes: out.Item ? itemBytes(out.Item) : 0,
          items: out.Item ? 1 : 0,
          limit: 1,
        },
      ];
    },
    // The month list, then the newest month of the range: its DATE_SHARDS partitions read at once (a page that
    // fits one month, as the bench's does), as functions/store/read-dates.ts does.
    byDate: async () => [
      await query(
        keys.monthPartition(),
        {
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
          ExpressionAttributeValues: {
            ':pk': { S: keys.monthPartition() },
            ':lo': { S: monthOf(t.from) },
            ':hi': { S: monthOf(t.to) },
          },
        },
        100,
        false,
      ),
      ...(await Promise.all(
        Array.from({ length: DATE_SHARDS }, (_, shard) =>
          query(
            keys.datePartition(monthOf(t.to), shard),
            {
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
              ExpressionAttributeValues: {
                ':pk': { S: keys.datePartition(monthOf(t.to), shard) },
                ':lo': { S: `${t.from}#` },
                ':hi': { S: `${t.to}#\uffff` },
              },
            },
            DEFAULT_LIMIT + 1,
            false,
          ),
        ),
      )),
    ],
    byEntity: async () => [
      await query(
        keys.entityPartition(t.entity.type, normaliseName(t.entity.name)),
        {},
        DEFAULT_LIMIT + 1,
        false,
      ),
    ],
    // The API reads one window of the driver term's partition, heaviest first; the bare call does the same.
    search: async () => [
      await query(keys.termPartition(driverOf(t.terms) ?? ''), {}, searchWindow(DEFAULT_LIMIT), true),
    ],
  };
  return calls;
};

/** Read units per page: as DynamoDB Local reports them, and modelled (strongly consistent: 1 per started 4 KB, per call). */
export const readUnitsPerPage = async (client: DynamoDBClient, tableName: string, t: LoadTargets) => {
  const calls = makeBareCalls(client, tableName, t);
  const out: Record<
    string,
    {
      reportedRcu: number;
      modelledRcu: number;
      items: number;
      bytes: number;
      calls: number;
      maxItems: number;
    }
  > = {};
  for (const route of ROUTES) {
    const caps = await calls[route](0);
    out[route] = {
      reportedRcu: round(caps.reduce((s, c) => s + c.capacity, 0)),
      modelledRcu: caps.reduce((s, c) => s + Math.max(1, Math.ceil(c.bytes / 4096)), 0),
      items: caps.reduce((s, c) => s + c.items, 0),
      bytes: caps.reduce((s, c) => s + c.bytes, 0),
      calls: caps.length,
      maxItems: caps.reduce((s, c) => s + c.limit, 0),
    };
  }
  return out;
};

/** Every item of the table and their total size (bench only: the product never scans). */
export const tableSize = async (client: DynamoDBClient, TableName: string) => {
  let items = 0;
  let bytes = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await client.send(new ScanCommand({ TableName, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) {
      items++;
      bytes += itemBytes(item);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return { items, bytes };
};
