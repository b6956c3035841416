import * as z from 'zod';
import { ArticleSchema } from '../core/article';
import { ENTITY_TYPES } from '../store/keys';
import { UploadOutcomeSchema } from '../store/upload-outcome';

/**
 * Response shapes for the OpenAPI document, in classic zod so `z.toJSONSchema` can describe them. Build time only:
 * the API bundle serves the generated functions/api/openapi.json and never imports this file.
 */
export const ArticleSummarySchema = z.object({
  id: z.string(),
  headline: z.string(),
  publishedDate: z.string().nullable().describe('YYYY-MM-DD, or null when the article carries no date'),
});

const nextCursor = z
  .string()
  .nullable()
  .describe('Pass as `cursor` to get the next page with the same query; null on the last page');

export const ArticlePageSchema = z.object({ items: z.array(ArticleSummarySchema), nextCursor });

export const EntityArticleSchema = ArticleSummarySchema.extend({
  mentions: z.number().int().positive().optional().describe('How often the article mentions the entity'),
});

export const EntityArticlePageSchema = z.object({
  items: z.array(EntityArticleSchema),
  nextCursor,
  matched: z
    .string()
    .optional()
    .describe(
      'The canonical name whose articles are listed (the one asked for, or the one its alias resolves to), spelt as the newest article spells it; absent when nothing matched',
    ),
});

export const EntitySchema = z.object({
  type: z.enum(ENTITY_TYPES),
  name: z.string(),
  articleCount: z.number().int().positive(),
});

export const EntityPageSchema = z.object({ items: z.array(EntitySchema), nextCursor });

export const SearchHitSchema = ArticleSummarySchema.extend({
  score: z.number().describe('Sum of the weights of the matched words; higher is better'),
});

export const SearchPageSchema = z.object({ items: z.array(SearchHitSchema), nextCursor });

export const HealthSchema = z.object({ status: z.literal('ok') });

export const ProblemSchema = z.object({
  type: z.string().describe('RFC 9457 problem type; about:blank, so the title is the HTTP status phrase'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().describe('What went wrong, for people'),
  instance: z.string().describe('The request path'),
  invalidParams: z
    .array(z.object({ name: z.string(), reason: z.string() }))
    .optional()
    .describe('On 400: the parameter at fault and why'),
});

export const COMPONENT_SCHEMAS = {
  Article: ArticleSchema,
  ArticleSummary: ArticleSummarySchema,
  ArticlePage: ArticlePageSchema,
  EntityArticle: EntityArticleSchema,
  EntityArticlePage: EntityArticlePageSchema,
  Entity: EntitySchema,
  EntityPage: EntityPageSchema,
  SearchHit: SearchHitSchema,
  SearchPage: SearchPageSchema,
  UploadOutcome: UploadOutcomeSchema,
  Health: HealthSchema,
  Problem: ProblemSchema,
} as const;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) for every component, cross-referenced by $ref. */
export const componentJsonSchemas = (): Record<string, unknown> => {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENT_SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _s, $id: _i, id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
};
