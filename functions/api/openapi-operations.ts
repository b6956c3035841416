import { ENTITY_TYPES } from '../store/keys';
import { MAX_SEARCH_TERMS } from '../store/read-search';
import type { RouteId } from './route-table';

/** Per-route parameters and success responses of the OpenAPI document (see ./openapi-build.ts). */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: unknown) => ({ 'application/json': { schema } });

const pathParam = (name: string, description: string, schema: Record<string, unknown>) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});
export const queryParam = (
  name: string,
  description: string,
  schema: Record<string, unknown>,
  required = false,
) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});

const DATE = { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const LIMIT = { $ref: '#/components/parameters/limit' };
const CURSOR = { $ref: '#/components/parameters/cursor' };

export interface OperationShape {
  operationId: string;
  parameters: unknown[];
  ok: { description: string; schema: unknown };
  notFound?: string;
  etag?: boolean;
  tags: string[];
}

/** The lists are derived from the records by the table's stream consumer: they follow an upload's outcome. */
const FOLLOWS_INDEX =
  'Follows the index: an article is listed once its upload outcome carries `indexedAt` (the index lag, typically under a second); a deleted one leaves the lists by then too';

export const OPERATIONS: Record<RouteId, OperationShape> = {
  getArticle: {
    operationId: 'getArticle',
    tags: ['articles'],
    parameters: [
      pathParam('id', 'Article id: 16 lowercase hex characters', {
        type: 'string',
        pattern: '^[0-9a-f]{16}$',
      }),
    ],
    ok: {
      description:
        'The article record. Immediate: served as soon as its upload outcome says `ingested` (strongly consistent read)',
      schema: ref('Article'),
    },
    notFound: 'No article has this id',
    etag: true,
  },
  listArticles: {
    operationId: 'listArticles',
    tags: ['articles'],
    parameters: [
      queryParam('from', 'Earliest published date, inclusive', DATE),
      queryParam('to', 'Latest published date, inclusive; not before `from`', DATE),
      LIMIT,
      CURSOR,
    ],
    ok: {
      description: `A page of dated articles, newest first. ${FOLLOWS_INDEX}`,
      schema: ref('ArticlePage'),
    },
  },
  listEntityArticles: {
    operationId: 'listEntityArticles',
    tags: ['entities'],
    parameters: [
      pathParam('type', 'Entity type', { type: 'string', enum: [...ENTITY_TYPES] }),
      pathParam(
        'name',
        'Canonical name, any case ("sergei shoigu"); a surname resolves through the alias index',
        {
          type: 'string',
          minLength: 1,
          maxLength: 200,
        },
      ),
      LIMIT,
      CURSOR,
    ],
    ok: {
      description: `A page of articles mentioning the entity, newest first (undated last). ${FOLLOWS_INDEX}`,
      schema: ref('EntityArticlePage'),
    },
  },
  listEntities: {
    operationId: 'listEntities',
    tags: ['entities'],
    parameters: [
      queryParam('type', 'Entity type', { type: 'string', enum: [...ENTITY_TYPES] }, true),
      queryParam('prefix', 'Name prefix, any case', { type: 'string', maxLength: 100 }),
      LIMIT,
      CURSOR,
    ],
    ok: {
      description:
        'A page of entities in name order, each with its article count. Counts follow the entity entries within the count lag (seconds), after `indexedAt`',
      schema: ref('EntityPage'),
    },
  },
  search: {
    operationId: 'search',
    tags: ['search'],
    parameters: [
      queryParam(
        'q',
        `1 to ${MAX_SEARCH_TERMS} words, at most 200 characters (code points); articles must match all of them (keywords and entity-name words). A word is a run of letters or digits (any script; everything else separates words), compared in lower case after Unicode NFC; words of one character, words over 64 characters and stopwords (the, and, of, mr, dr...) are ignored, and a repeated word counts once. A text with no word left, or more than ${MAX_SEARCH_TERMS}, is a 400`,
        { type: 'string', minLength: 1, maxLength: 200 },
        true,
      ),
      LIMIT,
      CURSOR,
    ],
    ok: {
      description: `A page of matching articles. Pages follow the longest word's weight, heaviest first (a one-word search is best first throughout); within a page, hits are ranked by score. A page may hold fewer than \`limit\` hits, even none, while nextCursor is not null: keep paging until it is. ${FOLLOWS_INDEX}`,
      schema: ref('SearchPage'),
    },
  },
  getUpload: {
    operationId: 'getUpload',
    tags: ['uploads'],
    parameters: [
      pathParam(
        'key',
        'The S3 object key, URL-encoded: at most 1,024 bytes of UTF-8, as S3 allows (maxLength counts characters, so it is the bound for ASCII keys). It may contain slashes, sent as `/` or `%2F`; a space is `%20` (a `+` is a plus sign)',
        { type: 'string', minLength: 1, maxLength: 1024 },
      ),
    ],
    ok: {
      description:
        'The outcome of the upload: ingested, rejected (with a reason) or deleted. Immediate and true when said: `ingested` means GET /articles/{id} serves this content, `deleted` that it answers 404. `indexedAt` appears once the date, entity and search lists hold exactly this version (within the index lag, typically under a second)',
      schema: ref('UploadOutcome'),
    },
    notFound: 'No upload with this key has been processed (yet)',
  },
  health: {
    operationId: 'health',
    tags: ['meta'],
    parameters: [],
    ok: { description: 'The function is up', schema: ref('Health') },
  },
  openapi: {
    operationId: 'getOpenApiDocument',
    tags: ['meta'],
    parameters: [],
    ok: { description: 'This document', schema: { type: 'object' } },
  },
};
