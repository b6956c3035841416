import type { Article } from '../core/article';

/**
 * Search terms of an article: its keywords and the tokens of its entity names, each with a weight. The API's
 * keyword search tokenises a query with `searchTokens` so both sides agree on what a term is.
 *
 * Weight: a keyword earns KEYWORD_WEIGHT; an entity-name token earns the entity's mention count; a term that is
 * both adds them up. Only the TERM_CAP heaviest terms are written (ties broken alphabetically, so the set is
 * deterministic and a re-ingest of the same content writes the same entries). The cap bounds write cost: each
 * term is one item, so an article costs at most TERM_CAP term writes however long it is.
 */
export const TERM_CAP = 24;
export const KEYWORD_WEIGHT = 3;
/** Longer tokens are almost never search words and would bloat the key. */
const MAX_TERM_LENGTH = 64;

export const STOPWORDS: ReadonlySet<string> = new Set([
  'the',
  'and',
  'of',
  'to',
  'in',
  'for',
  'on',
  'at',
  'by',
  'with',
  'from',
  'de',
  'la',
  'le',
  'van',
  'von',
  'al',
  'an',
  'or',
  'as',
  'is',
  'it',
  'its',
  'be',
  'was',
  'are',
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'jr',
  'sr',
]);

/** Any UTF-16 code unit above ASCII (surrogates included). */
const NOT_ASCII = /[\u0080-\uffff]/;
const keep = (t: string) => t.length >= 2 && t.length <= MAX_TERM_LENGTH && !STOPWORDS.has(t);

/** Lower-cased NFC word tokens (letters and digits), without stopwords and one-character tokens. */
export const searchTokens = (text: string): string[] =>
  // ASCII text (most names and keywords) takes a faster path with the same result: NFC leaves it alone, and its
  // only letters and digits are [a-z0-9] once lower-cased. The Unicode split was most of the time of termsOf.
  (NOT_ASCII.test(text)
    ? text
        .normalize('NFC')
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
    : text.toLowerCase().split(/[^a-z0-9]+/)
  ).filter(keep);

export interface WeightedTerm {
  term: string;
  weight: number;
}

export const termsOf = (article: Article): WeightedTerm[] => {
  const weights = new Map<string, number>();
  const add = (term: string, weight: number) => weights.set(term, (weights.get(term) ?? 0) + weight);
  for (const keyword of article.keywords)
    for (const token of new Set(searchTokens(keyword))) add(token, KEYWORD_WEIGHT);
  for (const entity of [...article.people, ...article.places, ...article.organizations])
    for (const token of new Set(searchTokens(entity.name))) add(token, entity.mentions);
  return [...weights]
    .map(([term, weight]) => ({ term, weight }))
    .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
    .slice(0, TERM_CAP);
};
