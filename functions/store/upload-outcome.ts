import * as z from 'zod';
import { REJECTION_REASONS } from '../core/article';

/**
 * The outcome of one object key, as GET /uploads/{key} serves it: read from the key's record
 * (`ART#<id>`/`RECORD`, see ./record.ts) and, for `indexedAt`, from what the derive consumer applied.
 */
export const UPLOAD_STATUSES = ['ingested', 'rejected', 'deleted'] as const;
export const UploadStatusSchema = z.enum(UPLOAD_STATUSES);
export type UploadStatus = z.infer<typeof UploadStatusSchema>;

/** The core's rejection reasons, plus `malformed-event` for a notification whose key survived but not the rest. */
export const UploadReasonSchema = z.enum([...REJECTION_REASONS, 'malformed-event']);
export type UploadReason = z.infer<typeof UploadReasonSchema>;

export const UploadOutcomeSchema = z.object({
  key: z.string(),
  status: UploadStatusSchema,
  articleId: z.string().optional(),
  reason: UploadReasonSchema.optional(),
  detail: z.string().optional(),
  /** The sequencer of the event that recorded this outcome (right-padded to 32 hex digits). */
  sequencer: z.string(),
  /** When the outcome was written (ISO 8601). */
  at: z.string(),
  /** When S3 recorded the event (ISO 8601), when known. */
  eventTime: z.string().optional(),
  /**
   * When the date, entity, alias and search entries of exactly this outcome were in place (ISO 8601); absent
   * until then. Lookups by id and this outcome are immediate; the lists follow within the index lag.
   */
  indexedAt: z.string().optional(),
});
export type UploadOutcome = z.infer<typeof UploadOutcomeSchema>;
