import * as z from 'zod/mini';

/**
 * What the reader accepts from the table. zod/mini, not classic zod: the API bundle stays small (classic zod
 * does not tree-shake and adds ~450 KB). The layouts are fixed by ./keys.ts and ./article-item.ts.
 */
const text = z.string();

/** Every index entry (date, entity, term) carries the article summary so a page needs no second read. */
export const IndexEntrySchema = z.object({
  sk: text,
  id: text,
  headline: text,
  publishedDate: z.nullable(text),
});

export const EntityEntrySchema = z.object({
  ...IndexEntrySchema.shape,
  mentions: z.optional(z.number()),
  /** The entity's name as the article spells it (entries written before it was stored lack it). */
  name: z.optional(text),
});

/**
 * `terms` (the article's term -> weight map) lets a search check its other words without a second read. Optional
 * so a table written before it existed still serves one-word searches; such an entry never matches several words.
 */
export const TermEntrySchema = z.object({
  ...IndexEntrySchema.shape,
  weight: z.number(),
  terms: z.optional(z.record(z.string(), z.number())),
});

export const AliasEntrySchema = z.object({ sk: text });

export const MonthEntrySchema = z.object({ sk: z.string().check(z.regex(/^\d{4}-\d{2}$/)) });

export const CatalogueEntrySchema = z.object({
  sk: text,
  name: text,
  articleCount: z.number(),
});

export const UPLOAD_STATUSES = ['ingested', 'rejected', 'deleted'] as const;

/**
 * The key's record (`ART#<id>`/`RECORD`, ./record.ts) as every reader takes it: the API, the derive consumer and
 * the checks. Extra attributes are dropped, so the API answers exactly the outcome's shape.
 */
export const RecordItemSchema = z.object({
  key: text,
  status: z.enum(UPLOAD_STATUSES),
  sequencer: text,
  rev: text,
  at: text,
  parserVersion: text,
  articleId: z.optional(text),
  reason: z.optional(text),
  detail: z.optional(text),
  eventTime: z.optional(text),
  contentHash: z.optional(text),
  sourceETag: z.optional(text),
  body: z.optional(z.instanceof(Uint8Array)),
  bodyKey: z.optional(text),
  /** Changed by a repair to make the derive consumer derive the record again. */
  repairGen: z.optional(z.number()),
});
export type RecordRead = z.infer<typeof RecordItemSchema>;

/**
 * What the derive consumer applied for a key (`ART#<id>`/`APPLIED`): the record `rev` it derived from, the keys
 * of the items it may have written (gzip-compressed JSON list), what they were derived from, and `indexedAt` once
 * exactly those items are in place.
 */
export const AppliedItemSchema = z.object({
  rev: text,
  keys: z.optional(z.instanceof(Uint8Array)),
  derivedFrom: text,
  indexedAt: z.optional(text),
});
export type AppliedRead = z.infer<typeof AppliedItemSchema>;

/** The outcome GET /uploads/{key} serves, read from the record and what was applied of it. */
export const UploadOutcomeReadSchema = z.object({
  key: text,
  status: z.enum(UPLOAD_STATUSES),
  articleId: z.optional(text),
  reason: z.optional(text),
  detail: z.optional(text),
  sequencer: text,
  at: text,
  eventTime: z.optional(text),
  indexedAt: z.optional(text),
});

export type IndexEntry = z.infer<typeof IndexEntrySchema>;
export type UploadOutcome = z.infer<typeof UploadOutcomeReadSchema>;

/** An item in the table does not have the documented layout: a bug in the writer or a hand edit. */
export class StoreShapeError extends Error {
  override readonly name = 'StoreShapeError';
}

export const parseItem = <S extends z.ZodMiniType>(schema: S, item: unknown, what: string): z.infer<S> => {
  const parsed = schema.safeParse(item);
  if (!parsed.success) throw new StoreShapeError(`${what} item does not match the store layout`);
  return parsed.data;
};
