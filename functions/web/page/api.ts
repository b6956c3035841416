import * as z from 'zod/mini';

/**
 * The page's calls to the API: same origin, paths relative to the page so a stage prefix would carry over.
 * Every failure becomes a sentence a person can read (the API's problem+json title and detail when there is one).
 */
export const Summary = z.object({
  id: z.string(),
  headline: z.string(),
  publishedDate: z.nullable(z.string()),
});
export const ArticlePage = z.object({ items: z.array(Summary), nextCursor: z.nullable(z.string()) });
export const EntityArticlePage = z.object({
  items: z.array(z.extend(Summary, { mentions: z.optional(z.number()) })),
  nextCursor: z.nullable(z.string()),
  matched: z.optional(z.string()),
});
export const CataloguePage = z.object({
  items: z.array(z.object({ type: z.string(), name: z.string(), articleCount: z.number() })),
  nextCursor: z.nullable(z.string()),
});
const Entity = z.object({ name: z.string(), mentions: z.number() });
export const Article = z.object({
  id: z.string(),
  source: z.object({ key: z.string() }),
  publishedDate: z.nullable(z.string()),
  headline: z.string(),
  headlineSource: z.string(),
  dateline: z.nullable(z.string()),
  section: z.nullable(z.string()),
  paragraphs: z.array(z.string()),
  wordCount: z.number(),
  readingTimeMinutes: z.number(),
  language: z.string(),
  people: z.array(Entity),
  places: z.array(Entity),
  organizations: z.array(Entity),
  quotes: z.array(z.object({ text: z.string(), speaker: z.nullable(z.string()), paragraph: z.number() })),
  dates: z.array(z.object({ text: z.string(), date: z.string(), precision: z.string() })),
  keywords: z.array(z.string()),
  warnings: z.array(z.string()),
  parserVersion: z.string(),
});
export type Article = z.infer<typeof Article>;

const Problem = z.object({ title: z.optional(z.string()), detail: z.optional(z.string()) });

export type Result<T> = { ok: true; value: T } | { ok: false; message: string };

/** The URL of an API path (no leading slash), relative to the page. */
export const apiUrl = (path: string, query: Record<string, string | undefined> = {}): string => {
  const url = new URL(path, document.baseURI);
  for (const [name, value] of Object.entries(query)) if (value) url.searchParams.set(name, value);
  return url.href;
};

export const getJson = async <S extends z.ZodMiniType>(
  url: string,
  schema: S,
): Promise<Result<z.infer<S>>> => {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch {
    return { ok: false, message: 'The API could not be reached. Check the connection and try again.' };
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = Problem.safeParse(body);
    const title = problem.success ? (problem.data.title ?? response.statusText) : response.statusText;
    const detail = problem.success && problem.data.detail ? `: ${problem.data.detail}` : '';
    return { ok: false, message: `${title || 'Error'} (HTTP ${response.status})${detail}` };
  }
  const parsed = schema.safeParse(body);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: 'The API answered with data this page does not understand.' };
};
