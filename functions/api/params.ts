import * as z from 'zod/mini';
import { ENTITY_TYPES } from '../store/keys';
import { MAX_SEARCH_TERMS, searchTermsOf } from '../store/read-search';
import { MAX_CURSOR_LENGTH } from './cursor';
import { badParameter } from './problem';
import type { RouteId } from './route-table';

/**
 * Request parameters, validated with zod/mini (small bundle). Each schema's message completes the sentence
 * "Parameter 'x' ...", so a 400 names the parameter and says what is wrong with it.
 */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const isCalendarDate = (s: string): boolean => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

export const DateParam = z
  .string()
  .check(
    z.refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isCalendarDate(s), 'must be a calendar date YYYY-MM-DD'),
  );

export const LimitParam = z
  .string()
  .check(
    z.refine(
      (s) => /^\d{1,3}$/.test(s) && Number(s) >= 1 && Number(s) <= MAX_LIMIT,
      `must be an integer from 1 to ${MAX_LIMIT}`,
    ),
  );

export const CursorParam = z
  .string()
  .check(
    z.refine((s) => s.length > 0 && s.length <= MAX_CURSOR_LENGTH, 'must be a cursor from a previous page'),
  );

export const IdParam = z
  .string()
  .check(z.refine((s) => /^[0-9a-f]{16}$/.test(s), 'must be 16 lowercase hex characters'));

export const EntityTypeParam = z.enum(ENTITY_TYPES, `must be one of ${ENTITY_TYPES.join(', ')}`);

/** Characters as the OpenAPI document's maxLength counts them (code points), not UTF-16 units. */
const characters = (s: string): number => {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
};

export const NameParam = z
  .string()
  .check(z.refine((s) => s.trim().length > 0 && characters(s) <= 200, 'must be 1 to 200 characters'));

export const PrefixParam = z
  .string()
  .check(z.refine((s) => characters(s) <= 100, 'must be at most 100 characters'));

export const QueryTextParam = z.string().check(
  z.refine((s) => {
    const n = searchTermsOf(s).length;
    return characters(s) <= 200 && n >= 1 && n <= MAX_SEARCH_TERMS;
  }, `must hold 1 to ${MAX_SEARCH_TERMS} words (letters or digits), at most 200 characters`),
);

/** S3 allows keys of up to 1,024 bytes of UTF-8. */
export const UploadKeyParam = z
  .string()
  .check(
    z.refine(
      (s) => s.length > 0 && Buffer.byteLength(s, 'utf8') <= 1024,
      'must be an S3 key of 1 to 1,024 bytes',
    ),
  );

/**
 * The query parameters each route takes (the OpenAPI document lists the same; a test keeps them equal). Any
 * other parameter answers 400: a misspelt filter (`?form=`) silently ignored would return an unfiltered list
 * that looks like a filtered one.
 */
export const QUERY_PARAMETERS: Record<RouteId, readonly string[]> = {
  getArticle: [],
  listArticles: ['from', 'to', 'limit', 'cursor'],
  listEntityArticles: ['limit', 'cursor'],
  listEntities: ['type', 'prefix', 'limit', 'cursor'],
  search: ['q', 'limit', 'cursor'],
  getUpload: [],
  health: [],
  openapi: [],
};

/** Throws 400 for the first query parameter the route does not take (its name cut short if long). */
export const rejectUnknownParameters = (route: RouteId, query: Record<string, string | undefined>): void => {
  const allowed = QUERY_PARAMETERS[route];
  const unknown = Object.keys(query).find((name) => !allowed.includes(name));
  if (unknown !== undefined) throw badParameter(unknown.slice(0, 64), 'is not a parameter of this route');
};

/** Validates one parameter; a missing required one and a malformed one both answer 400 naming it. */
export const param = <S extends z.ZodMiniType>(
  name: string,
  schema: S,
  value: string | undefined,
): z.infer<S> => {
  if (value === undefined) throw badParameter(name, 'is required');
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badParameter(name, parsed.error.issues[0]?.message ?? 'is not valid');
  return parsed.data;
};

export const optionalParam = <S extends z.ZodMiniType>(
  name: string,
  schema: S,
  value: string | undefined,
): z.infer<S> | undefined => (value === undefined ? undefined : param(name, schema, value));

export const limitOf = (value: string | undefined): number =>
  value === undefined ? DEFAULT_LIMIT : Number(param('limit', LimitParam, value));
