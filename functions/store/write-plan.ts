import type { Article } from '../core/article';
import {
  type ArticleItem,
  BodyTooLargeError,
  MAX_BODY_BYTES,
  parseIndexKey,
  toArticleItem,
} from './article-item';
import { ItemTooLargeError, MAX_ITEM_BYTES } from './errors';
import { keys } from './keys';
import { gateReprocess } from './reprocess-plan';
import type { UploadOutcomeItem, UploadStatus } from './upload-outcome';
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
    indexKeys: string[];
    contentHash: string;
    parserVersion: string;
    eTag?: string;
    bodyKey?: string;
  } | null;
  upload: {
    sequencer: string;
    status: UploadStatus;
    pending?: boolean;
    reason?: string;
    detail?: string;
  } | null;
}

export type WritePlan =
  | { kind: 'skip'; why: 'stale' | 'duplicate' | 'unchanged' }
  | {
      kind: 'upload-only';
      why: 'unchanged' | 'nothing-stored';
      upload: UploadOutcomeItem;
      expected: string | null;
    }
  | {
      kind: 'write';
      upload: UploadOutcomeItem;
      /** The sequencer the plan was computed from (null: none stored); writes are conditional on it. */
      expected: string | null;
      /** The new article item, or null to delete the stored one. */
      article: ArticleItem | null;
      puts: IndexEntry[];
      deletes: Array<{ pk: string; sk: string }>;
      /** A retry finishing an ordered write whose article and outcome are already stored (see the writer). */
      resume: boolean;
    };

export const outcomeItem = (id: string, request: WriteRequest, at: string): UploadOutcomeItem => {
  const { change } = request;
  const item: UploadOutcomeItem = {
    ...keys.upload(id),
    sk: 'UPLOAD',
    key: request.key,
    status: change.kind,
    sequencer: request.sequencer,
    at,
  };
  if (request.eventTime) item.eventTime = request.eventTime;
  if (change.kind === 'ingested') item.articleId = id;
  if (change.kind === 'rejected') {
    item.reason = change.reason;
    item.detail = change.detail;
  }
  if (change.kind === 'deleted' && change.detail) item.detail = change.detail;
  return item;
};

/**
 * `articleItem` is passed in already encoded for an ingest (encoding can fail with BodyTooLargeError, which the
 * writer turns into a `too-large` rejection before planning).
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
  const outcome = outcomeItem(id, request, at);
  const expected = upload?.sequencer ?? null;
  if (upload && upload.sequencer === request.sequencer && !request.reprocess) {
    // The same event again. Only an ordered write interrupted half-way has anything left to do.
    if (upload.pending && prepared)
      return {
        kind: 'write',
        upload: outcome,
        expected,
        article: prepared.article,
        puts: [...prepared.entries.values()],
        deletes: [],
        resume: true,
      };
    return { kind: 'skip', why: 'duplicate' };
  }
  const oldKeys = article?.indexKeys ?? [];
  if (prepared) {
    const unchanged =
      article &&
      upload?.status === 'ingested' &&
      !upload.pending &&
      article.contentHash === prepared.article.contentHash &&
      article.parserVersion === prepared.article.parserVersion;
    if (unchanged) return { kind: 'upload-only', why: 'unchanged', upload: outcome, expected };
    const deletes = oldKeys.filter((key) => !prepared.entries.has(key));
    return {
      kind: 'write',
      upload: outcome,
      expected,
      article: prepared.article,
      // The summary (headline, contentHash) changed, so kept entries are rewritten too.
      puts: [...prepared.entries.values()],
      deletes: deletes.map(parseIndexKey),
      resume: false,
    };
  }
  if (!article) return { kind: 'upload-only', why: 'nothing-stored', upload: outcome, expected };
  return {
    kind: 'write',
    upload: outcome,
    expected,
    article: null,
    puts: [],
    deletes: oldKeys.map(parseIndexKey),
    resume: false,
  };
};

/** Attribute names and the small summary attributes of an article item, generously rounded up. */
const ITEM_OVERHEAD_BYTES = 2048;

/**
 * The article item and its entries. A compressed body over MAX_BODY_BYTES, or one that with the list of entry keys
 * would pass the 400 KB item limit, goes to the body bucket when the writer has one (`bodyKey` given): the item
 * then holds the key and `overflow` the bytes to put first. Without one it throws BodyTooLargeError or
 * ItemTooLargeError, which the writer records as a `too-large` rejection; so does an item whose entry keys alone
 * pass the limit.
 */
export const prepareArticle = (article: Article, bodyKey?: string) => {
  const entries = indexEntriesFor(article);
  const item = toArticleItem(article, [...entries.keys()]);
  let bytes = Buffer.byteLength(item.headline) + ITEM_OVERHEAD_BYTES;
  for (const key of item.indexKeys) bytes += Buffer.byteLength(key) + 1;
  const { body, ...rest } = item;
  if (body.byteLength <= MAX_BODY_BYTES && bytes + body.byteLength <= MAX_ITEM_BYTES)
    return { article: item as ArticleItem, entries, overflow: null };
  if (bodyKey === undefined) {
    if (body.byteLength > MAX_BODY_BYTES) throw new BodyTooLargeError(body.byteLength);
    throw new ItemTooLargeError(bytes + body.byteLength);
  }
  bytes += Buffer.byteLength(bodyKey);
  if (bytes > MAX_ITEM_BYTES) throw new ItemTooLargeError(bytes);
  const external: ArticleItem = { ...rest, bodyKey };
  return { article: external, entries, overflow: { key: bodyKey, body } };
};
