import type { Article } from '../core/article';
import {
  type ArticleItem,
  BodyTooLargeError,
  MAX_BODY_BYTES,
  parseIndexKey,
  toArticleItem,
} from './article-item';
import { ItemTooLargeError, MAX_ITEM_BYTES } from './errors';
import { keys, normaliseName } from './keys';
import type { UploadOutcomeItem, UploadStatus } from './upload-outcome';
import { type CatalogueName, catalogueNameOf, type IndexEntry, indexEntriesFor } from './write-entries';

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
}

/** What the Query on `ART#<id>` found. */
export interface CurrentState {
  article: { indexKeys: string[]; contentHash: string; parserVersion: string; bodyKey?: string } | null;
  upload: { sequencer: string; status: UploadStatus; pending?: boolean } | null;
}

export interface CounterDelta extends CatalogueName {
  delta: number;
}

/**
 * One catalogue item per entity: when the published date changes, an entity's entry key changes (+1 for the new,
 * -1 for the old), which nets to nothing, and a transaction may not touch one item twice anyway.
 */
const netCounters = (counters: CounterDelta[]): CounterDelta[] => {
  const byKey = new Map<string, CounterDelta>();
  for (const c of counters) {
    const key = `${c.type}#${normaliseName(c.name)}`;
    const seen = byKey.get(key);
    // Keep the display name of an added entity (removed ones only know the lower-cased key).
    const named = c.delta > 0 ? c : (seen ?? c);
    byKey.set(key, { type: named.type, name: named.name, delta: (seen?.delta ?? 0) + c.delta });
  }
  return [...byKey.values()].filter((c) => c.delta !== 0);
};

export type WritePlan =
  | { kind: 'skip'; why: 'stale' | 'duplicate' }
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
      counters: CounterDelta[];
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

/** A catalogue counter decrement for every entity entry among the removed index keys. */
const decrementsFor = (removed: readonly string[]): CounterDelta[] =>
  removed.flatMap((key) => {
    const name = catalogueNameOf(key);
    return name ? [{ type: name.type, name: name.name, delta: -1 }] : [];
  });

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
  if (upload && upload.sequencer > request.sequencer) return { kind: 'skip', why: 'stale' };
  const outcome = outcomeItem(id, request, at);
  const expected = upload?.sequencer ?? null;
  if (upload && upload.sequencer === request.sequencer) {
    // The same event again. Only an ordered write interrupted half-way has anything left to do.
    if (upload.pending && prepared)
      return {
        kind: 'write',
        upload: outcome,
        expected,
        article: prepared.article,
        puts: [...prepared.entries.values()],
        deletes: [],
        counters: [],
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
    const counters: CounterDelta[] = [];
    const oldSet = new Set(oldKeys);
    for (const [key, entry] of prepared.entries) {
      const name = oldSet.has(key) ? null : catalogueNameOf(key, entry);
      if (name) counters.push({ type: name.type, name: name.name, delta: 1 });
    }
    const deletes = oldKeys.filter((key) => !prepared.entries.has(key));
    counters.push(...decrementsFor(deletes));
    return {
      kind: 'write',
      upload: outcome,
      expected,
      article: prepared.article,
      // The summary (headline, contentHash) changed, so kept entries are rewritten too.
      puts: [...prepared.entries.values()],
      deletes: deletes.map(parseIndexKey),
      counters: netCounters(counters),
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
    counters: decrementsFor(oldKeys),
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
