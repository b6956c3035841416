import { createHash, randomUUID } from 'node:crypto';
import type { Article } from '../core/article';
import { encodeBody } from './article-item';
import { BODY_PREFIX } from './body-keys';
import { keys } from './keys';
import type { UploadReason, UploadStatus } from './upload-outcome';

/**
 * The key's record (`ART#<id>`/`RECORD`): the one item the ingest writes for an S3 event. It holds the outcome a
 * user looks up (status, reason, the event's sequencer) and, when the object became an article, the article
 * itself (its compressed JSON in `body`, or the key of the body object in `bodyKey`). Because outcome and
 * article are one item, one conditional PutItem replaces both at once: they can never disagree.
 *
 * `rev` names this write of the record (a fresh value on every write). The derive consumer stamps the `rev` it
 * derived from on `ART#<id>`/`APPLIED`, so "the lists hold this version" is `applied.rev === record.rev`.
 */
export type RecordChange =
  | { kind: 'ingested'; article: Article }
  | { kind: 'rejected'; reason: UploadReason; detail: string }
  | { kind: 'deleted'; detail?: string };

export interface RecordRequest {
  key: string;
  /** The event's S3 sequencer, padded (../sequencer.ts); for a reprocess, the sequencer it found stored. */
  sequencer: string;
  eventTime?: string;
  change: RecordChange;
  /** The parser that read the object (rejections and deletes record it too, so a reprocess can tell). */
  parserVersion: string;
  /** The object's eTag as read: a reprocess of an unchanged object under an unchanged parser writes nothing. */
  sourceETag?: string;
  /** A reprocess: written only while `sequencer` is still the stored one, never outranking a real event. */
  reprocess?: boolean;
  /**
   * A repair by the verifier: written only while the record is exactly the one it examined (`rev`), or while there is
   * still none (`null`), keeping `sequencer`, so it can never undo a newer write.
   */
  repairOf?: { rev: string | null };
}

export interface RecordItem {
  pk: string;
  sk: 'RECORD';
  key: string;
  status: UploadStatus;
  sequencer: string;
  rev: string;
  at: string;
  parserVersion: string;
  eventTime?: string;
  reason?: UploadReason;
  detail?: string;
  sourceETag?: string;
  articleId?: string;
  headline?: string;
  publishedDate?: string | null;
  contentHash?: string;
  body?: Uint8Array;
  bodyKey?: string;
}

/**
 * Bodies compressed beyond this go to the body bucket. A write bills the larger of the old and new item (1 unit
 * per KB), so a 300 KB record would make even its delete tombstone cost 300 units: 32 KB keeps every record write
 * cheap while almost every news article (a few KB compressed) stays in its item and is served with one read.
 */
export const MAX_INLINE_BODY_BYTES = 32 * 1024;

/** An eTag as the record keeps it: without the quotes S3 puts around it in some answers and not in others. */
export const bareETag = (eTag: string): string => eTag.replace(/"/g, '');

/**
 * Body objects are named by their content (`bodies/<id>/<sha-256>.json.gz`): every writer of the same bytes puts
 * the same object, and no writer ever deletes one, so no record can point at a body another writer removed. Bodies
 * no record points at any more are swept by the verifier, and only once they are old enough.
 */
export const bodyKeyFor = (id: string, body: Uint8Array): string =>
  `${BODY_PREFIX}${id}/${createHash('sha256').update(body).digest('hex')}.json.gz`;

export interface PreparedRecord {
  item: RecordItem;
  /** A body to put in the body bucket before the item that points at it. */
  overflow: { key: string; body: Uint8Array } | null;
}

export const prepareRecord = (request: RecordRequest, id: string, at: string): PreparedRecord => {
  const { change } = request;
  const item: RecordItem = {
    ...keys.record(id),
    sk: 'RECORD',
    key: request.key,
    status: change.kind,
    sequencer: request.sequencer,
    rev: randomUUID(),
    at,
    parserVersion: request.parserVersion,
  };
  if (request.eventTime) item.eventTime = request.eventTime;
  if (request.sourceETag) item.sourceETag = request.sourceETag;
  if (change.kind === 'rejected') {
    item.reason = change.reason;
    item.detail = change.detail;
  }
  if (change.kind === 'deleted' && change.detail) item.detail = change.detail;
  if (change.kind !== 'ingested') return { item, overflow: null };
  const { article } = change;
  item.articleId = id;
  item.headline = article.headline;
  item.publishedDate = article.publishedDate;
  item.contentHash = article.contentHash;
  const body = encodeBody(article);
  if (body.byteLength <= MAX_INLINE_BODY_BYTES) return { item: { ...item, body }, overflow: null };
  const bodyKey = bodyKeyFor(id, body);
  return { item: { ...item, bodyKey }, overflow: { key: bodyKey, body } };
};
