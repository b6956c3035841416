import { MAX_ALIAS_ENTRIES } from '../store/article-reader';
import { MAX_CATALOGUE_CALLS } from '../store/read-query';
import { MAX_SEARCH_TERMS, SEARCH_WINDOW_MAX, SEARCH_WINDOW_MIN } from '../store/read-search';
import { ROUTE_PATHS, type RouteId } from './route-paths';

/**
 * The routes, as data: path template, cache policy and the most DynamoDB calls one page can make. The router,
 * the app and the OpenAPI generator all read this table, so the document cannot disagree with the code.
 * Paths are a contract (clients' scripts call them). `{key+}` is greedy: it takes the rest of the path.
 */
export type { RouteId };

export interface RouteSpec {
  id: RouteId;
  path: string;
  summary: string;
  /** Why the number is what it is; appended to the OpenAPI description. */
  callsNote: string;
  callsPerPage: number;
  cacheControl: string;
}

// Articles rarely change once ingested; lists move as uploads arrive; outcomes change within seconds.
export const ROUTES: readonly RouteSpec[] = [
  {
    id: 'getArticle',
    path: ROUTE_PATHS.getArticle,
    summary: 'One article record by id',
    callsPerPage: 1,
    callsNote: 'one GetItem',
    cacheControl: 'max-age=300',
  },
  {
    id: 'listArticles',
    path: ROUTE_PATHS.listArticles,
    summary: 'Articles by published date or date range, newest first',
    callsPerPage: 1,
    callsNote: 'one Query on the date partition',
    cacheControl: 'max-age=30',
  },
  {
    id: 'listEntityArticles',
    path: ROUTE_PATHS.listEntityArticles,
    summary: 'Articles that mention an entity, newest first',
    callsPerPage: 3,
    callsNote: `one Query on the entity; on a first page with no entries, one Query on the alias partition (up to ${MAX_ALIAS_ENTRIES} entries) and one Query on the resolved canonical name; later pages one Query`,
    cacheControl: 'max-age=30',
  },
  {
    id: 'listEntities',
    path: ROUTE_PATHS.listEntities,
    summary: 'Entities of a type, by name prefix, with article counts',
    callsPerPage: MAX_CATALOGUE_CALLS,
    callsNote: `up to ${MAX_CATALOGUE_CALLS} Queries on the catalogue (entities whose count fell to 0 are filtered out, so a page may need more than one; a page can come back short with a cursor)`,
    cacheControl: 'max-age=30',
  },
  {
    id: 'search',
    path: ROUTE_PATHS.search,
    summary: 'Articles matching all query words (keywords and entity names), best first',
    callsPerPage: 1,
    callsNote: `one Query on the index of one query word (the longest of at most ${MAX_SEARCH_TERMS}), heaviest first, reading a window of max(3 x limit, ${SEARCH_WINDOW_MIN}) and at most ${SEARCH_WINDOW_MAX} entries from the cursor on; each entry lists its article's words, so the others are checked without another read. A page may come back short, even empty, with a cursor when few entries of a window hold every word; nextCursor is null only when that index is exhausted`,
    cacheControl: 'max-age=30',
  },
  {
    id: 'getUpload',
    path: ROUTE_PATHS.getUpload,
    summary: 'The outcome of an upload, by its object key',
    callsPerPage: 1,
    callsNote: 'one GetItem',
    cacheControl: 'no-cache',
  },
  {
    id: 'health',
    path: ROUTE_PATHS.health,
    summary: 'Liveness',
    callsPerPage: 0,
    callsNote: 'no DynamoDB call',
    cacheControl: 'no-store',
  },
  {
    id: 'openapi',
    path: ROUTE_PATHS.openapi,
    summary: 'This OpenAPI 3.1 document',
    callsPerPage: 0,
    callsNote: 'no DynamoDB call',
    cacheControl: 'max-age=3600',
  },
];
