import * as z from 'zod/mini';

/**
 * Typed configuration, read once per cold start. A missing or malformed variable fails the cold start with a
 * message naming it, instead of failing the first request in some odd way. zod/mini keeps the API bundle
 * ~440 KB smaller than classic zod.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const parse = <S extends z.ZodMiniType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> => {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  return result.data;
};

/** The count consumer only updates the table's catalogue counts. */
const CountConfigSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
});

/** The derive consumer reads records (and bodies kept in the body bucket) and writes what they derive. */
const DeriveConfigSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  BODY_BUCKET: z.string().check(z.minLength(1)),
});

const IngestConfigSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  /** The stack's own bucket for article bodies too large for their table item. */
  BODY_BUCKET: z.string().check(z.minLength(1)),
});

const ApiConfigSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  BODY_BUCKET: z.string().check(z.minLength(1)),
  /**
   * The Secrets Manager secret (ARN or name) holding the HMAC key that signs list cursors. The key itself is read
   * at run time, on the first request that needs it (functions/api/secret-cursor-keys.ts), never from the
   * environment.
   */
  CURSOR_SECRET_ID: z.string().check(z.minLength(1)),
  /** Comma-separated origins allowed by CORS; empty means no CORS headers. */
  CORS_ALLOW_ORIGINS: z._default(z.string(), ''),
});

/** The verify run reads the table and both buckets, writes its files and report to the report bucket, and mends. */
const VerifyConfigSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  BUCKET_NAME: z.string().check(z.minLength(1)),
  BODY_BUCKET: z.string().check(z.minLength(1)),
  REPORT_BUCKET: z.string().check(z.minLength(1)),
  /** Percent of the table's read capacity the whole run may use (1 to 50). */
  READ_SHARE_PERCENT: z.pipe(
    z.string().check(z.regex(/^\d+$/)),
    z.pipe(z.transform(Number), z.number().check(z.minimum(1), z.maximum(50))),
  ),
});

export type VerifyConfig = z.infer<typeof VerifyConfigSchema>;
export type CountConfig = z.infer<typeof CountConfigSchema>;
export type DeriveConfig = z.infer<typeof DeriveConfigSchema>;
export type IngestConfig = z.infer<typeof IngestConfigSchema>;
export type ApiConfig = z.infer<typeof ApiConfigSchema>;

export const loadCountConfig = (env: NodeJS.ProcessEnv = process.env): CountConfig =>
  parse(CountConfigSchema, env);
export const loadDeriveConfig = (env: NodeJS.ProcessEnv = process.env): DeriveConfig =>
  parse(DeriveConfigSchema, env);
export const loadIngestConfig = (env: NodeJS.ProcessEnv = process.env): IngestConfig =>
  parse(IngestConfigSchema, env);
export const loadApiConfig = (env: NodeJS.ProcessEnv = process.env): ApiConfig => parse(ApiConfigSchema, env);
export const loadVerifyConfig = (env: NodeJS.ProcessEnv = process.env): VerifyConfig =>
  parse(VerifyConfigSchema, env);
