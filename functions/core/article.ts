import * as z from 'zod';

/**
 * The normalised article record: the contract between the core, the store, the API and `npm run normalise`.
 * The API serves exactly these fields; the OpenAPI document is generated from these schemas.
 */
/** Bumped when the core's output changes for the same bytes, so a re-upload of unchanged text is re-stored. */
export const PARSER_VERSION = '3.0.0';

export const IsoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const SourceSchema = z.object({
  key: z.string(),
  size: z.number().int().nonnegative(),
  bucket: z.string().optional(),
  eTag: z.string().optional(),
  versionId: z.string().optional(),
});

export const EntitySchema = z.object({
  name: z.string().min(1),
  mentions: z.number().int().positive(),
});

export const QuoteSchema = z.object({
  text: z.string(),
  speaker: z.string().nullable(),
  /** Zero-based index into `paragraphs`. */
  paragraph: z.number().int().nonnegative(),
});

export const ResolvedDateSchema = z.object({
  text: z.string(),
  /** `YYYY-MM-DD`, `YYYY-MM` or `YYYY` according to `precision`. */
  date: z.string(),
  precision: z.enum(['day', 'month', 'year']),
});

export const ArticleSchema = z.object({
  id: z.string(),
  source: SourceSchema,
  contentHash: z.string(),
  publishedDate: IsoDateSchema.nullable(),
  headline: z.string(),
  headlineSource: z.enum(['title', 'lede']),
  dateline: z.string().nullable(),
  section: z.string().nullable(),
  lede: z.string(),
  paragraphs: z.array(z.string()),
  wordCount: z.number().int().nonnegative(),
  readingTimeMinutes: z.number().nonnegative(),
  language: z.string(),
  people: z.array(EntitySchema),
  places: z.array(EntitySchema),
  organizations: z.array(EntitySchema),
  quotes: z.array(QuoteSchema),
  dates: z.array(ResolvedDateSchema),
  keywords: z.array(z.string()),
  warnings: z.array(z.string()),
  parserVersion: z.string(),
});

/**
 * Why a file was refused. Documented in the README; the API's OpenAPI document lists the same set.
 * - empty: no bytes, or only whitespace/control characters
 * - not-text: NUL bytes, a binary signature (PNG, PDF, ZIP, gzip...) or undecodable bytes
 * - too-large: over MAX_ARTICLE_BYTES (or, in the store, a record that cannot fit a DynamoDB item even compressed)
 * - too-short: fewer than MIN_ARTICLE_WORDS words of prose
 * - unsupported-format: structured data (JSON, XML feeds) uploaded by mistake
 */
export const REJECTION_REASONS = [
  'empty',
  'not-text',
  'too-large',
  'too-short',
  'unsupported-format',
] as const;
export const RejectionReasonSchema = z.enum(REJECTION_REASONS);

export const RejectionSchema = z.object({
  rejected: z.literal(true),
  key: z.string(),
  reason: RejectionReasonSchema,
  detail: z.string(),
});

export type Source = z.infer<typeof SourceSchema>;
export type Entity = z.infer<typeof EntitySchema>;
export type Quote = z.infer<typeof QuoteSchema>;
export type ResolvedDate = z.infer<typeof ResolvedDateSchema>;
export type Article = z.infer<typeof ArticleSchema>;
export type RejectionReason = z.infer<typeof RejectionReasonSchema>;
export type Rejection = z.infer<typeof RejectionSchema>;
export type NormaliseResult = Article | Rejection;

export const isRejection = (result: NormaliseResult): result is Rejection => 'rejected' in result;

/** Largest object the core will read, in bytes (1 MiB). Bigger objects are rejected as `too-large` unread. */
export const MAX_ARTICLE_BYTES = 1024 * 1024;
/** Fewest words of prose that make an article. */
export const MIN_ARTICLE_WORDS = 20;

export { articleIdForKey } from './article-id';
