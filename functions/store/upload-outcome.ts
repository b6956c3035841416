import * as z from 'zod';
import { REJECTION_REASONS } from '../core/article';

/**
 * The outcome of one object key, kept in the `ART#<id>`/`UPLOAD` item (id = articleIdForKey(key)) and served by
 * GET /uploads/{key}. It also carries the ordering state of ingestion: the newest S3 `sequencer` applied to the
 * key. Every write for a key is conditional on it, so duplicates and stale deliveries change nothing.
 */
export const UPLOAD_STATUSES = ['ingested', 'rejected', 'deleted'] as const;
export const UploadStatusSchema = z.enum(UPLOAD_STATUSES);
export type UploadStatus = z.infer<typeof UploadStatusSchema>;

/** The core's rejection reasons, plus `malformed-event` for a notification whose key survived but not the rest. */
export const UploadReasonSchema = z.enum([...REJECTION_REASONS, 'malformed-event']);

/**
 * S3 sequencers are upper-case hex of varying length; only strings of equal length compare correctly. They are
 * stored left-padded to this width so DynamoDB's string `<` in condition expressions orders them.
 */
export const SEQUENCER_WIDTH = 32;
export const SequencerSchema = z
  .string()
  .regex(/^[0-9A-Fa-f]{1,32}$/, 'an S3 sequencer is 1 to 32 hex digits')
  .transform((raw) => raw.toUpperCase().padStart(SEQUENCER_WIDTH, '0'));

export const UploadOutcomeSchema = z.object({
  key: z.string(),
  status: UploadStatusSchema,
  articleId: z.string().optional(),
  reason: UploadReasonSchema.optional(),
  detail: z.string().optional(),
  /** The newest applied sequencer for the key, padded to SEQUENCER_WIDTH. */
  sequencer: z.string(),
  /** When the outcome was written (ISO 8601). */
  at: z.string(),
  /** When S3 recorded the event (ISO 8601), when known. */
  eventTime: z.string().optional(),
});
export type UploadOutcome = z.infer<typeof UploadOutcomeSchema>;

/**
 * The stored item: the outcome plus the writer's bookkeeping (see ./article-writer.ts), which the API never
 * serves:
 * - `rev`: the revision of the key's items. For an S3 event it is the padded sequencer; a reprocess, which keeps
 *   the sequencer, writes `<sequencer>~<time>`, which sorts after its basis and before every later sequencer.
 *   The article and every index entry carry the `rev` that wrote them; all writes are conditional on it.
 * - `keys`: the index entries this revision owns (./key-lists.ts, gzip-compressed).
 * - `stale`: entries of earlier revisions still to be removed; with `pending`, set until the writer finished.
 */
export const UploadOutcomeItemSchema = UploadOutcomeSchema.extend({
  pk: z.string(),
  sk: z.literal('UPLOAD'),
  rev: z.string(),
  keys: z.instanceof(Uint8Array).optional(),
  stale: z.instanceof(Uint8Array).optional(),
  /** Set from the outcome's write until the article and its entries are in place (a retry resumes it). */
  pending: z.boolean().optional(),
});
export type UploadOutcomeItem = z.infer<typeof UploadOutcomeItemSchema>;
