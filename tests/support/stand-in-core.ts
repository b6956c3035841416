import { createHash } from 'node:crypto';
import {
  type Article,
  articleIdForKey,
  isRejection,
  PARSER_VERSION,
  type Rejection,
  type Source,
} from '../../functions/core/article';

/**
 * A small, predictable stand-in for the article core, so store and handler tests control exactly which entities
 * and keywords an article has. Text format (written by the tests, not the corpus):
 *   first line: headline; `date: YYYY-MM-DD`, `people: A B; C`, `places: ...`, `orgs: ...`, `keywords: a, b`
 *   header lines; everything else is prose. Fewer than 5 words of prose -> too-short; leading `{` -> unsupported.
 */
const list = (value: string | undefined) =>
  (value ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => ({ name, mentions: 1 }));

export const standInNormalise = (
  bytes: Uint8Array,
  key: string,
  source: Partial<Source> = {},
): Article | Rejection => {
  const text = Buffer.from(bytes).toString('utf8');
  const reject = (reason: Rejection['reason'], detail: string): Rejection => ({
    rejected: true,
    key,
    reason,
    detail,
  });
  if (!text.trim()) return reject('empty', 'no text');
  if (text.trimStart().startsWith('{')) return reject('unsupported-format', 'looks like JSON');
  const lines = text.split('\n');
  const headers = new Map<string, string>();
  const prose: string[] = [];
  for (const line of lines.slice(1)) {
    const header = /^(date|people|places|orgs|keywords): (.*)$/.exec(line);
    if (header?.[1] && header[2] !== undefined) headers.set(header[1], header[2]);
    else if (line.trim()) prose.push(line.trim());
  }
  const words = prose.join(' ').split(/\s+/).filter(Boolean).length;
  if (words < 5) return reject('too-short', `${words} words`);
  return {
    id: articleIdForKey(key),
    source: { key, size: bytes.byteLength, ...source },
    contentHash: createHash('sha256').update(bytes).digest('hex'),
    publishedDate: headers.get('date') ?? null,
    headline: lines[0]?.trim() ?? '',
    headlineSource: 'title',
    dateline: null,
    section: null,
    lede: prose[0] ?? '',
    paragraphs: prose,
    wordCount: words,
    readingTimeMinutes: Math.ceil(words / 230),
    language: 'en',
    people: list(headers.get('people')),
    places: list(headers.get('places')),
    organizations: list(headers.get('orgs')),
    quotes: [],
    dates: [],
    keywords: (headers.get('keywords') ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    warnings: [],
    parserVersion: PARSER_VERSION,
  };
};

export const articleText = (input: {
  headline: string;
  date?: string;
  people?: string[];
  places?: string[];
  orgs?: string[];
  keywords?: string[];
  prose?: string;
}): string =>
  [
    input.headline,
    ...(input.date ? [`date: ${input.date}`] : []),
    ...(input.people ? [`people: ${input.people.join('; ')}`] : []),
    ...(input.places ? [`places: ${input.places.join('; ')}`] : []),
    ...(input.orgs ? [`orgs: ${input.orgs.join('; ')}`] : []),
    ...(input.keywords ? [`keywords: ${input.keywords.join(', ')}`] : []),
    '',
    input.prose ?? 'The council met on Tuesday and agreed a plan for the river crossing.',
  ].join('\n');

/** The stand-in core's article for this text and key; a test that meant an article fails loudly on a rejection. */
export const standInArticle = (key: string, input: Parameters<typeof articleText>[0]): Article => {
  const result = standInNormalise(Buffer.from(articleText(input)), key);
  if (isRejection(result)) throw new Error(`the stand-in core rejected ${key}: ${result.detail}`);
  return result;
};
