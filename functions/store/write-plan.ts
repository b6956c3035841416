import type { Article } from '../core/article';
import {
  type ArticleItem,
  BodyTooLargeError,
  MAX_BODY_BYTES,
  parseIndexKey,
  toArticleItem,
} from './article-item';
import { ItemTooLargeError, MAX_ITEM_BYTES } from './errors';
import { encodeKeyList } from './key-lists';
import { keys } from './keys';
import { gateReprocess } from './reprocess-plan';
import type { UploadOutcomeItem, UploadStatus } from './upload-outcome';
import { reprocessRev } from './write-actions';
import { type IndexEntry, indexEntriesFor } from './write-entries';

/**
 * What one event asks the store to do, and the pure decision of which items change. The I/O lives in
 * ./article-writer.ts; keeping the decision pure lets the tests cover every ordering case without a table.
 */
export type WriteChange =
  | { kind: 'ingested'; article: Article }
  | { kind: 'rejected'; reason: NonNullable<UploadOutcomeItem['reason']>; detail: string }
  | { kind: 'deleted'; detail?: string };

export interface WriteRequest {
  key: string;
  /** The event's S3 sequencer (hex); the writer pads it (SequencerSchema) before comparing. */
  sequencer: string;
  eventTime?: string;
  change: WriteChange;
  /** A reprocess, not an S3 event: `sequencer` is the basis it read (see ./reprocess-plan.ts). */
  reprocess?: boolean;
}

/** What the Query on `ART#<id>` found. */
export interface CurrentState {
  article: {
    contentHash: string;
    parserVersion: string;
    eTag?: string;
    bodyKey?: string;
    rev?: string;
  } | null;
  upload: {
    sequencer: string;
    /** The revision the outcome records (see ./upload-outcome.ts). */
    rev: string;
    /** Written before revisions: `rev` is its sequencer. */
    legacy?: boolean;
    status: UploadStatus;
    pending?: boolean;
    reason?: string;
    detail?: string;
    /** Entry keys the revision owns, and those of earlier revisions not yet removed. */
    keys: string[];
    stale: string[];
  } | null;
}

export type WritePlan =
  | { kind: 'skip'; why: 'stale' | 'duplicate' | 'unchanged' }
  | {
      kind: 'upload-only';
      why: 'unchanged' | 'nothing-stored';
      upload: UploadOutcomeItem;
      /** The revision the plan was computed from (null: none stored); the write is conditional on it. */
      expected: string | null;
      legacy?: boolean;
    }
  | {
      kind: 'write';
      /** Written first, with `pending`, unless `resume`. */
      upload: UploadOutcomeItem;
      expected: string | null;
      legacy?: boolean;
      /** The new article item to put, if any. */
      article: ArticleItem | null;
      /** Remove the stored article (a delete or a rejection), after the entries are gone. */
      removeArticle: boolean;
      puts: IndexEntry[];
      /** Keys of `puts` that may exist already (listed by the stored revision): those are overwritten in place. */
      existing: ReadonlySet<string>;
      deletes: Array<{ pk: string; sk: string }>;
      /** A retry finishing a write whose outcome is already stored (`pending`): it redoes the steps after it. */
      resume: boolean;
    };

export const outcomeItem = (
  id: string,
  request: WriteRequest,
  at: string,
  rev: string,
  owned: { keys: readonly string[]; stale: readonly string[] },
): UploadOutcomeItem => {
  const { change } = request;
  const item: UploadOutcomeItem = {
    ...keys.upload(id),
    sk: 'UPLOAD',
    key: request.key,
    status: change.kind,
    sequencer: request.sequencer,
    rev,
    at,
  };
  if (owned.keys.length > 0) item.keys = encodeKeyList(owned.keys);
  if (owned.stale.length > 0) item.stale = encodeKeyList(owned.stale);
  if (request.eventTime) item.eventTime = request.eventTime;
  if (change.kind === 'ingested') item.articleId = id;
  if (change.kind === 'rejected') {
    item.reason = change.reason;
    item.detail = change.detail;
  }
  if (change.kind === 'deleted' && change.detail) item.detail = change.detail;
  return item;
};

/** The revision an event writes: its sequencer, or for a reprocess a revision just above its basis. */
export const revOf = (request: WriteRequest, at: string): string =>
  request.reprocess ? reprocessRev(request.sequencer, at) : request.sequencer;

/**
 * `prepared` is the article already encoded, for an ingest (encoding can fail with BodyTooLargeError, which the
 * writer turns into a `too-large` rejection before planning).
 *
 * Which entries may exist for the key: the stored revision's own (`keys`) and those earlier revisions left for it
 * to remove (`stale`). A new revision owns its entries and takes over the removal of every other one of those.
 */
export const planWrite = (
  id: string,
  request: WriteRequest,
  current: CurrentState,
  at: string,
  prepared: { article: ArticleItem; entries: Map<string, IndexEntry> } | null,
): WritePlan => {
  const { upload, article } = current;
  const gate = request.reprocess ? gateReprocess(current, request, prepared) : null;
  if (gate) return gate;
  if (upload && upload.sequencer > request.sequencer) return { kind: 'skip', why: 'stale' };
  const expected = upload?.rev ?? null;
  const legacy = upload?.legacy ?? false;
  if (upload && upload.sequencer === request.sequencer && !request.reprocess) {
    // The same event again. Only a write interrupted half-way (still `pending`) has anything left to do.
    if (!upload.pending) return { kind: 'skip', why: 'duplicate' };
    const stored = outcomeItem(id, request, at, upload.rev, { keys: upload.keys, stale: upload.stale });
    // Only the entries the stored outcome lists: if the object changed since, its newer event redoes the rest.
    const listed = new Set(upload.keys);
    const ingest = prepared && upload.status === 'ingested' ? prepared : null;
    return {
      kind: 'write',
      upload: stored,
      expected,
      legacy,
      article: ingest ? withRev(ingest.article, upload.rev) : null,
      removeArticle: upload.status !== 'ingested',
      puts: ingest ? [...ingest.entries].filter(([k]) => listed.has(k)).map(([, e]) => e) : [],
      existing: listed,
      deletes: upload.stale.map(parseIndexKey),
      resume: true,
    };
  }
  const rev = revOf(request, at);
  const newKeys = prepared ? [...prepared.entries.keys()] : [];
  const owned = new Set(newKeys);
  const stale = [...new Set([...(upload?.stale ?? []), ...(upload?.keys ?? [])])].filter(
    (k) => !owned.has(k),
  );
  if (prepared) {
    const unchanged =
      article &&
      upload?.status === 'ingested' &&
      !upload.pending &&
      article.contentHash === prepared.article.contentHash &&
      article.parserVersion === prepared.article.parserVersion;
    if (unchanged)
      return {
        kind: 'upload-only',
        why: 'unchanged',
        upload: outcomeItem(id, request, at, rev, { keys: upload.keys, stale: [] }),
        expected,
        legacy,
      };
    return {
      kind: 'write',
      upload: { ...outcomeItem(id, request, at, rev, { keys: newKeys, stale }), pending: true },
      expected,
      legacy,
      article: withRev(prepared.article, rev),
      removeArticle: false,
      // The summary (headline, contentHash) changed, so kept entries are rewritten too.
      puts: [...prepared.entries.values()],
      existing: new Set([...(upload?.keys ?? []), ...(upload?.stale ?? [])]),
      deletes: stale.map(parseIndexKey),
      resume: false,
    };
  }
  if (!article && stale.length === 0)
    return {
      kind: 'upload-only',
      why: 'nothing-stored',
      upload: outcomeItem(id, request, at, rev, { keys: [], stale: [] }),
      expected,
      legacy,
    };
  return {
    kind: 'write',
    upload: { ...outcomeItem(id, request, at, rev, { keys: [], stale }), pending: true },
    expected,
    legacy,
    article: null,
    removeArticle: true,
    puts: [],
    existing: new Set(),
    deletes: stale.map(parseIndexKey),
    resume: false,
  };
};

const withRev = (item: ArticleItem, rev: string): ArticleItem => ({ ...item, rev });

/** Attribute names and the small summary attributes of an article item, generously rounded up. */
const ITEM_OVERHEAD_BYTES = 2048;
/**
 * Entry keys of one article, uncompressed. The outcome holds them gzip-compressed (about 4x smaller), beside the
 * keys an earlier revision left to remove, so this bound keeps both well inside one 400 KB item.
 */
export const MAX_KEY_LIST_BYTES = 150 * 1024;

/**
 * The article item and its entries. A compressed body over MAX_BODY_BYTES, or one that would pass the 400 KB item
 * limit, goes to the body bucket when the writer has one (`bodyKey` given): the item then holds the key and
 * `overflow` the bytes to put first. Without one it throws BodyTooLargeError or ItemTooLargeError, which the writer
 * records as a `too-large` rejection; so does an article whose entry keys alone pass MAX_KEY_LIST_BYTES.
 */
export const prepareArticle = (article: Article, bodyKey?: string) => {
  const entries = indexEntriesFor(article);
  let keyBytes = 0;
  for (const key of entries.keys()) keyBytes += Buffer.byteLength(key) + 3;
  if (keyBytes > MAX_KEY_LIST_BYTES) throw new ItemTooLargeError(keyBytes);
  const item = toArticleItem(article);
  const bytes = Buffer.byteLength(item.headline) + ITEM_OVERHEAD_BYTES;
  const { body, ...rest } = item;
  if (body.byteLength <= MAX_BODY_BYTES && bytes + body.byteLength <= MAX_ITEM_BYTES)
    return { article: item as ArticleItem, entries, overflow: null };
  if (bodyKey === undefined) {
    if (body.byteLength > MAX_BODY_BYTES) throw new BodyTooLargeError(body.byteLength);
    throw new ItemTooLargeError(bytes + body.byteLength);
  }
  const external: ArticleItem = { ...rest, bodyKey };
  return { article: external, entries, overflow: { key: bodyKey, body } };
};
