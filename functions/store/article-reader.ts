import { gunzipSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { BodyReader } from './article-body';
import { type EntityType, keys, normaliseName } from './keys';
import { makeQueryRunner } from './read-query';
import {
  parseItem,
  RecordItemSchema,
  StoreShapeError,
  type UploadOutcome,
  UploadOutcomeReadSchema,
} from './read-schemas';

export { StoreShapeError };

import { articleIdForKey } from '../core/article-id';
import { listByDate } from './read-dates';
import { driverOf, matchWindow, searchWindow } from './read-search';
import type {
  ArticleSummary,
  CatalogueEntity,
  EntityArticlesPage,
  Page,
  SearchHit,
  StoredArticle,
} from './read-types';

export interface ArticleReader {
  getArticle(id: string): Promise<StoredArticle | null>;
  getUpload(key: string): Promise<UploadOutcome | null>;
  listByDate(q: {
    from?: string;
    to?: string;
    limit: number;
    after?: string;
  }): Promise<Page<ArticleSummary, string>>;
  listByEntity(q: {
    type: EntityType;
    name: string;
    limit: number;
    after?: { name: string; sk: string };
  }): Promise<EntityArticlesPage>;
  listEntities(q: {
    type: EntityType;
    prefix?: string;
    limit: number;
    after?: string;
  }): Promise<Page<CatalogueEntity, string>>;
  /** `after`: the driver term's sort key where the previous page stopped (see ./read-search.ts). */
  search(q: { terms: string[]; limit: number; after?: string }): Promise<Page<SearchHit, string>>;
}

/** Alias entries read to resolve a surname: enough to see every canonical name one alias plausibly has. */
export const MAX_ALIAS_ENTRIES = 50;

/**
 * The read side of the store: GetItem and Query only, a fixed number of calls per page (stated per route in the
 * OpenAPI document). List pages read `limit + 1` entries so `next` is null exactly when nothing follows.
 */
export const makeArticleReader = (deps: {
  client: DynamoDBClient;
  tableName: string;
  /**
   * Gives the reader of bodies stored outside their item, called on the first GET /articles/{id} of such an
   * article and never otherwise: the Lambda loads the S3 client only then (functions/api/handler.ts).
   */
  loadBodies?: () => Promise<BodyReader>;
}): ArticleReader => {
  const doc = DynamoDBDocumentClient.from(deps.client);
  let bodies: Promise<BodyReader> | undefined;
  const bodyOf = async (key: string | undefined) => {
    if (!key || !deps.loadBodies) return null;
    // Loaded once; a failed load is tried again by the next request rather than remembered.
    bodies ??= deps.loadBodies().catch((error: unknown) => {
      bodies = undefined;
      throw error;
    });
    return (await bodies).get(key);
  };
  const TableName = deps.tableName;
  const query = makeQueryRunner(doc, TableName);

  const get = async (key: { pk: string; sk: string }) =>
    (await doc.send(new GetCommand({ TableName, Key: key, ConsistentRead: true }))).Item ?? null;

  const entityPage = async (type: EntityType, name: string, limit: number, after?: string) => {
    const pk = keys.entityPartition(type, name);
    const input: Partial<QueryCommandInput> = {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: false,
    };
    const { items, ...page } = await query.summaries(input, limit, pk, after, 'entity');
    return { ...page, items: items.map(({ sk: _, ...item }) => item) };
  };

  /** The canonical name an alias stands for: the one with the most entries (ties: alphabetical). */
  const resolveAlias = async (type: EntityType, alias: string): Promise<string | null> => {
    const entries = await query.aliases(keys.aliasPartition(type, alias), MAX_ALIAS_ENTRIES);
    const counts = new Map<string, number>();
    for (const sk of entries) {
      const name = sk.slice(0, sk.lastIndexOf('#'));
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return ranked[0]?.[0] ?? null;
  };

  return {
    async getArticle(id) {
      // The record holds the article (./record.ts); its body never disappears once written (bodies are named by
      // their content and only swept when nothing points at them), so one consistent read says it all.
      const item = await get(keys.record(id));
      if (!item) return null;
      const record = parseItem(RecordItemSchema, item, 'record');
      if (record.status !== 'ingested' || !record.contentHash) return null;
      const body = record.body ?? (await bodyOf(record.bodyKey));
      if (!body) throw new StoreShapeError(`article ${id}: its body ${record.bodyKey ?? ''} is missing`);
      return {
        json: gunzipSync(body).toString('utf8'),
        contentHash: record.contentHash,
        parserVersion: record.parserVersion,
      };
    },

    async getUpload(key) {
      // The record and what the derive consumer applied share a partition: one consistent Query reads both.
      const out = await doc.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.articlePartition(articleIdForKey(key)) },
          ProjectionExpression:
            '#key, #status, articleId, reason, detail, #seq, #at, eventTime, #rev, indexedAt, sk',
          ExpressionAttributeNames: {
            '#key': 'key',
            '#status': 'status',
            '#seq': 'sequencer',
            '#at': 'at',
            '#rev': 'rev',
          },
          ConsistentRead: true,
        }),
      );
      const items = out.Items ?? [];
      const recordItem = items.find((i) => i.sk === 'RECORD');
      if (!recordItem) return null;
      const outcome = parseItem(UploadOutcomeReadSchema, recordItem, 'record');
      // 64-bit ids can collide in theory; the stored key tells us whether this outcome is really this key's.
      if (outcome.key !== key) return null;
      const applied = items.find((i) => i.sk === 'APPLIED');
      const { indexedAt: _, ...rest } = outcome;
      // `indexedAt` belongs to exactly this write of the record: the derive consumer stamps the rev it derived from.
      return typeof applied?.indexedAt === 'string' && applied.rev === recordItem.rev
        ? { ...rest, indexedAt: applied.indexedAt }
        : rest;
    },

    listByDate: (q) => listByDate(query, q),

    async listByEntity({ type, name, limit, after }) {
      // `matched` is the canonical name as articles spell it ("Sergei Shoigu"); the cursor keeps the key form.
      if (after) {
        const { name: shown, ...page } = await entityPage(type, after.name, limit, after.sk);
        const next = page.next ? { name: after.name, sk: page.next } : null;
        return { ...page, next, matched: shown ?? after.name };
      }
      const wanted = normaliseName(name);
      let matched = wanted;
      let page = await entityPage(type, wanted, limit);
      if (page.items.length === 0) {
        const canonical = await resolveAlias(type, wanted);
        if (canonical && canonical !== wanted) {
          matched = canonical;
          page = await entityPage(type, canonical, limit);
        }
      }
      const { name: shown, ...rest } = page;
      // No entry listed: nothing matched, so no name is claimed.
      return {
        ...rest,
        next: rest.next ? { name: matched, sk: rest.next } : null,
        ...(rest.items.length === 0 ? {} : { matched: shown ?? matched }),
      };
    },

    async listEntities({ type, prefix, limit, after }) {
      return query.catalogue(type, prefix ? normaliseName(prefix) : '', limit, after);
    },

    async search({ terms, limit, after }) {
      const driver = driverOf(terms);
      if (driver === undefined) return { items: [], next: null };
      const window = await query.terms(keys.termPartition(driver), searchWindow(limit), after);
      const { hits, resumeAfter } = matchWindow(window.entries, terms, driver, limit);
      return { items: hits, next: resumeAfter ?? window.last };
    },
  };
};
