import * as z from 'zod/mini';
import { articleEtag } from '../store/article-etag';
import type { ArticleReader } from '../store/article-reader';
import { searchTermsOf } from '../store/read-search';
import type { CursorCodec } from './cursor';
import {
  CursorParam,
  DateParam,
  EntityTypeParam,
  IdParam,
  limitOf,
  NameParam,
  optionalParam,
  PrefixParam,
  param,
  QueryTextParam,
  UploadKeyParam,
} from './params';
import { badParameter, notFound } from './problem';
import type { RouteId } from './route-table';

/**
 * One function per route: validate, call the reader once, shape the answer. Cursor positions are sealed with
 * the route id and the normalised filters (never the limit, so a client may change page size mid-way).
 */
export interface RouteContext {
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  reader: ArticleReader;
  cursors: CursorCodec;
  /** The serialised OpenAPI document, made on first use. */
  openapi: () => string;
}

/** `json` is sent as-is (already serialised); `body` is serialised by the app. */
export type RouteResult = { json: string; etag?: string } | { body: unknown; etag?: string };

const SkPosition = z.string();
const EntityPosition = z.object({ name: z.string(), sk: z.string() });

const binding = (route: RouteId, filters: Record<string, string | undefined>): string =>
  JSON.stringify([route, Object.entries(filters).filter(([, v]) => v !== undefined)]);

const page = async <T>(items: T[], next: unknown, seal: (p: unknown) => Promise<string>) => ({
  items,
  nextCursor: next === null ? null : await seal(next),
});

export const ROUTE_HANDLERS: Record<RouteId, (ctx: RouteContext) => Promise<RouteResult>> = {
  async getArticle({ params, reader }) {
    const id = param('id', IdParam, params.id);
    const stored = await reader.getArticle(id);
    if (!stored) throw notFound(`No article has id '${id}'.`);
    return { json: stored.json, etag: articleEtag(stored) };
  },

  async listArticles({ query, reader, cursors }) {
    const from = optionalParam('from', DateParam, query.from);
    const to = optionalParam('to', DateParam, query.to);
    if (from && to && from > to) throw badParameter('from', `must not be after 'to' (${to})`);
    const limit = limitOf(query.limit);
    const bound = binding('listArticles', { from, to });
    const cursor = optionalParam('cursor', CursorParam, query.cursor);
    const after = cursor === undefined ? undefined : await cursors.open(cursor, bound, SkPosition);
    const result = await reader.listByDate({
      limit,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(after ? { after } : {}),
    });
    return { body: await page(result.items, result.next, (p) => cursors.seal(bound, p)) };
  },

  async listEntityArticles({ params, query, reader, cursors }) {
    const type = param('type', EntityTypeParam, params.type);
    const name = param('name', NameParam, params.name);
    const limit = limitOf(query.limit);
    const bound = binding('listEntityArticles', { type, name: name.normalize('NFC').toLowerCase().trim() });
    const cursor = optionalParam('cursor', CursorParam, query.cursor);
    const after = cursor === undefined ? undefined : await cursors.open(cursor, bound, EntityPosition);
    const result = await reader.listByEntity({ type, name, limit, ...(after ? { after } : {}) });
    return {
      body: {
        ...(await page(result.items, result.next, (p) => cursors.seal(bound, p))),
        ...(result.matched === undefined ? {} : { matched: result.matched }),
      },
    };
  },

  async listEntities({ query, reader, cursors }) {
    const type = param('type', EntityTypeParam, query.type);
    const prefix = optionalParam('prefix', PrefixParam, query.prefix);
    const limit = limitOf(query.limit);
    const bound = binding('listEntities', { type, prefix: prefix?.normalize('NFC').toLowerCase().trim() });
    const cursor = optionalParam('cursor', CursorParam, query.cursor);
    const after = cursor === undefined ? undefined : await cursors.open(cursor, bound, SkPosition);
    const result = await reader.listEntities({
      type,
      limit,
      ...(prefix ? { prefix } : {}),
      ...(after ? { after } : {}),
    });
    return { body: await page(result.items, result.next, (p) => cursors.seal(bound, p)) };
  },

  async search({ query, reader, cursors }) {
    const terms = searchTermsOf(param('q', QueryTextParam, query.q));
    const limit = limitOf(query.limit);
    const bound = binding('search', { q: [...terms].sort().join(' ') });
    const cursor = optionalParam('cursor', CursorParam, query.cursor);
    // The position is the driver term's sort key; the driver follows from the bound terms, so it cannot differ.
    const after = cursor === undefined ? undefined : await cursors.open(cursor, bound, SkPosition);
    const result = await reader.search({ terms, limit, ...(after ? { after } : {}) });
    return { body: await page(result.items, result.next, (p) => cursors.seal(bound, p)) };
  },

  async getUpload({ params, reader }) {
    const key = param('key', UploadKeyParam, params.key);
    const outcome = await reader.getUpload(key);
    if (!outcome) throw notFound('No upload with this key has been processed (yet).');
    return { body: outcome };
  },

  async health() {
    return { body: { status: 'ok' } };
  },

  async openapi({ openapi }) {
    return { json: openapi() };
  },
};
