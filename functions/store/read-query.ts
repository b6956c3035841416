import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { CATALOGUE_SHARDS, catalogueShardOf, type EntityType, keys } from './keys';
import {
  AliasEntrySchema,
  CatalogueEntrySchema,
  EntityEntrySchema,
  MonthEntrySchema,
  parseItem,
  TermEntrySchema,
} from './read-schemas';
import type { CatalogueEntity, EntityArticle, Page, TermEntry } from './read-types';

/**
 * The entity catalogue keeps entries whose articleCount fell to 0 (counts are kept by ADD), so a page is
 * filtered and may need more than one Query to fill. At most this many, then the page is returned short with
 * a cursor.
 */
export const MAX_CATALOGUE_CALLS = 6;

const lastSk = (key: Record<string, unknown> | undefined): string | null =>
  typeof key?.sk === 'string' ? key.sk : null;

/** The Query shapes the reader uses. Each method is one DynamoDB call unless its comment says otherwise. */
export const makeQueryRunner = (doc: DynamoDBDocumentClient, TableName: string) => {
  // Strongly consistent: a client that saw `indexedAt` on an outcome must find the article in the lists it names
  // (DESIGN, pitfall 6). With no GSIs this only doubles the read units.
  const run = (input: Omit<QueryCommandInput, 'TableName'>) =>
    doc.send(new QueryCommand({ TableName, ConsistentRead: true, ...input }));

  return {
    /** One page of summary entries (date or entity partition), `limit + 1` read to know whether more follow. */
    async summaries(
      input: Omit<QueryCommandInput, 'TableName'>,
      limit: number,
      pk: string,
      after: string | undefined,
      what: string,
    ): Promise<Page<EntityArticle & { sk: string }, string> & { name?: string }> {
      const out = await run({
        ...input,
        Limit: limit + 1,
        ...(after ? { ExclusiveStartKey: { pk, sk: after } } : {}),
      });
      const entries = (out.Items ?? []).map((item) => parseItem(EntityEntrySchema, item, what));
      const page = entries.slice(0, limit);
      const items = page.map(({ sk, id, headline, publishedDate, mentions }) =>
        mentions === undefined
          ? { sk, id, headline, publishedDate }
          : { sk, id, headline, publishedDate, mentions },
      );
      // More entries than asked for: resume after the last one served. Fewer, but DynamoDB stopped at its 1 MB
      // page: resume where it stopped.
      const next = entries.length > limit ? (page.at(-1)?.sk ?? null) : lastSk(out.LastEvaluatedKey);
      // The display name of an entity page: the newest entry's spelling.
      const name = page[0]?.name;
      return name === undefined ? { items, next } : { items, next, name };
    },

    /**
     * The months (`YYYY-MM`) between `from` and `to` (inclusive, either open) that hold articles, newest first: the
     * derive consumer lists a month before it says any article of it is indexed. One Query (a century of months is
     * far under 1 MB).
     */
    async months(from: string | undefined, to: string | undefined): Promise<string[]> {
      const pk = keys.monthPartition();
      const condition =
        from && to
          ? 'pk = :pk AND sk BETWEEN :from AND :to'
          : from
            ? 'pk = :pk AND sk >= :from'
            : to
              ? 'pk = :pk AND sk <= :to'
              : 'pk = :pk';
      const months: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await run({
          KeyConditionExpression: condition,
          ProjectionExpression: 'sk',
          ExpressionAttributeValues: {
            ':pk': pk,
            ...(from ? { ':from': from } : {}),
            ...(to ? { ':to': to } : {}),
          },
          ScanIndexForward: false,
          ...(start ? { ExclusiveStartKey: start } : {}),
        });
        for (const item of out.Items ?? []) months.push(parseItem(MonthEntrySchema, item, 'month').sk);
        start = out.LastEvaluatedKey;
      } while (start);
      return months;
    },

    async aliases(pk: string, max: number): Promise<string[]> {
      const out = await run({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'sk',
        Limit: max,
      });
      return (out.Items ?? []).map((item) => parseItem(AliasEntrySchema, item, 'alias').sk);
    },

    /** One window of a term partition, heaviest first, resuming after the sort key `after`. */
    async terms(
      pk: string,
      max: number,
      after: string | undefined,
    ): Promise<{ entries: TermEntry[]; last: string | null }> {
      const out = await run({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        Limit: max,
        ...(after ? { ExclusiveStartKey: { pk, sk: after } } : {}),
      });
      const entries = (out.Items ?? []).map((item): TermEntry => {
        const { sk, id, headline, publishedDate, weight, terms } = parseItem(TermEntrySchema, item, 'term');
        return terms
          ? { sk, id, headline, publishedDate, weight, terms }
          : { sk, id, headline, publishedDate, weight };
      });
      return { entries, last: lastSk(out.LastEvaluatedKey) };
    },

    /**
     * Up to MAX_CATALOGUE_CALLS Queries: entries with articleCount 0 are filtered out server-side, and a listing
     * without a prefix walks the shards in order (./keys.ts CATALOGUE_SHARDS). A position is a name (resume after it,
     * in its shard) or SHARD_START + a shard (resume at the start of that shard).
     */
    async catalogue(
      type: EntityType,
      prefix: string,
      limit: number,
      after: string | undefined,
    ): Promise<Page<CatalogueEntity, string>> {
      const found: { sk: string; name: string; articleCount: number }[] = [];
      const startShard = after?.startsWith(SHARD_START)
        ? after.slice(SHARD_START.length)
        : catalogueShardOf(after ?? prefix);
      const shards = prefix
        ? [catalogueShardOf(prefix)]
        : CATALOGUE_SHARDS.slice(CATALOGUE_SHARDS.indexOf(startShard));
      let shardAt = 0;
      let pk = keys.entityCataloguePartition(type, shards[0] ?? '0');
      let start: Record<string, unknown> | undefined =
        after && !after.startsWith(SHARD_START) ? { pk, sk: after } : undefined;
      for (let call = 0; call < MAX_CATALOGUE_CALLS && found.length <= limit; call++) {
        const out = await run({
          KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          FilterExpression: 'articleCount > :zero',
          ExpressionAttributeValues: { ':pk': pk, ':zero': 0, ...(prefix ? { ':prefix': prefix } : {}) },
          Limit: limit + 1 - found.length,
          ...(start ? { ExclusiveStartKey: start } : {}),
        });
        for (const item of out.Items ?? [])
          found.push(parseItem(CatalogueEntrySchema, item, 'entity catalogue'));
        start = out.LastEvaluatedKey;
        if (start) continue;
        shardAt += 1;
        const nextShard = shards[shardAt];
        if (nextShard === undefined) break;
        pk = keys.entityCataloguePartition(type, nextShard);
      }
      const page = found.slice(0, limit);
      const nextShard = shards[shardAt];
      const next =
        found.length > limit
          ? (page.at(-1)?.sk ?? null)
          : start
            ? lastSk(start)
            : nextShard !== undefined
              ? `${SHARD_START}${nextShard}`
              : null;
      return { items: page.map(({ name, articleCount }) => ({ type, name, articleCount })), next };
    },
  };
};

/** Marks a catalogue position that is the start of a shard rather than a name (no name starts with it). */
const SHARD_START = '\u0000';
