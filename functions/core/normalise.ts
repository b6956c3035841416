import { createHash } from 'node:crypto';
import {
  type Article,
  articleIdForKey,
  MIN_ARTICLE_WORDS,
  PARSER_VERSION,
  type Rejection,
  type RejectionReason,
  type Source,
} from './article';
import { extractDates } from './dates';
import { decodeBytes } from './decode';
import { extractEntities } from './entities/extract';
import { extractKeywords } from './keywords';
import { detectLanguage } from './language';
import { handleMarkup } from './markup';
import { extractQuotes } from './quotes';
import { parseStructure } from './structure';
import { countWords } from './text';

/**
 * Longest headline kept, in characters. The headline is copied into every index entry of the article, so an
 * unbounded one (a 100 KB first sentence, an HTML <title> full of junk) would multiply into megabytes of
 * entries and a transaction DynamoDB refuses. A longer one is cut at a word boundary, with a warning.
 */
export const MAX_HEADLINE_CHARS = 250;

const boundHeadline = (headline: string, warnings: string[]): string => {
  if (headline.length <= MAX_HEADLINE_CHARS) return headline;
  const cut = headline.slice(0, MAX_HEADLINE_CHARS - 1);
  const atSpace = cut.lastIndexOf(' ');
  warnings.push(`headline of ${headline.length} characters cut to ${MAX_HEADLINE_CHARS}`);
  return `${(atSpace > MAX_HEADLINE_CHARS / 2 ? cut.slice(0, atSpace) : cut).trimEnd()}…`;
};

/** Words per minute used for `readingTimeMinutes` (a common adult reading speed for news). */
export const READING_WORDS_PER_MINUTE = 230;

const reject = (key: string, reason: RejectionReason, detail: string): Rejection => ({
  rejected: true,
  key,
  reason,
  detail,
});

const buildSource = (key: string, size: number, source: Partial<Source> | undefined): Source => {
  const built: Source = { key, size: source?.size ?? size };
  if (source?.bucket !== undefined) built.bucket = source.bucket;
  if (source?.eTag !== undefined) built.eTag = source.eTag;
  if (source?.versionId !== undefined) built.versionId = source.versionId;
  return built;
};

const normalise = (
  bytes: Uint8Array,
  key: string,
  source: Partial<Source> | undefined,
): Article | Rejection => {
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return reject(key, decoded.reason, decoded.detail);
  const warnings = [...decoded.warnings];
  const markup = handleMarkup(decoded.text);
  if (markup.kind === 'unsupported') return reject(key, 'unsupported-format', markup.detail);
  if (markup.kind === 'html') warnings.push(markup.warning);

  const structure = parseStructure(markup.text);
  const { paragraphs } = structure;
  const wordCount = paragraphs.reduce((sum, paragraph) => sum + countWords(paragraph), 0);
  if (wordCount === 0) return reject(key, 'empty', 'the file holds no words');
  if (wordCount < MIN_ARTICLE_WORDS) {
    return reject(
      key,
      'too-short',
      `${wordCount} words of prose; an article needs at least ${MIN_ARTICLE_WORDS}`,
    );
  }
  warnings.push(...structure.warnings);
  if (structure.headlineSource === 'lede') warnings.push('no headline line; headline derived from the lede');

  const headline = boundHeadline(structure.headline, warnings);
  const title = structure.headlineSource === 'title' ? headline : null;
  const entities = extractEntities(paragraphs, title, structure.dateline);
  return {
    id: articleIdForKey(key),
    source: buildSource(key, bytes.length, source),
    contentHash: createHash('sha256').update(bytes).digest('hex'),
    publishedDate: structure.publishedDate,
    headline,
    headlineSource: structure.headlineSource,
    dateline: structure.dateline,
    section: structure.section,
    lede: paragraphs[0] ?? '',
    paragraphs,
    wordCount,
    readingTimeMinutes: Math.max(1, Math.round(wordCount / READING_WORDS_PER_MINUTE)),
    language: detectLanguage(paragraphs.slice(0, 3).join(' ')),
    people: entities.people,
    places: entities.places,
    organizations: entities.organizations,
    quotes: extractQuotes(paragraphs, entities),
    dates: extractDates(paragraphs, structure.publishedDate),
    keywords: extractKeywords(headline, paragraphs),
    warnings,
    parserVersion: PARSER_VERSION,
  };
};

/**
 * Turns an uploaded object's bytes into an article record, or a rejection that says why not.
 * Never throws: every expected problem is a rejection, and an unexpected failure inside the parser becomes a
 * `not-text` rejection naming the error, so one odd file can never poison a batch.
 */
export const normaliseArticle = (
  bytes: Uint8Array,
  key: string,
  source?: Partial<Source>,
): Article | Rejection => {
  try {
    return normalise(bytes, key, source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return reject(key, 'not-text', `the file could not be parsed as an article (${message})`);
  }
};
