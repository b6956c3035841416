import type { TermEntry } from './read-types';
import { searchTokens } from './write-terms';

/**
 * Search terms of a query, tokenised exactly as the writer tokenises keywords and entity names (stopwords and
 * one-letter words dropped), so "Sergei Shoigu" becomes two terms, both of which must match. write-terms.ts
 * imports only a type, so the API bundle stays free of the article core.
 */
export const searchTermsOf = (q: string): string[] => [...new Set(searchTokens(q))];

/** Most terms a query may hold: each is one Query, so this bounds the calls per search page. */
export const MAX_SEARCH_TERMS = 5;
/**
 * Entries read per term (one Query, well under 1 MB). A term held by more articles than this only matches
 * within the first MAX_TERM_ENTRIES of its partition (ordered by article id, not by weight): a known limit.
 */
export const MAX_TERM_ENTRIES = 1000;

export interface Scored {
  id: string;
  headline: string;
  publishedDate: string | null;
  score: number;
}

/** AND of the terms: an article is a hit only if every term partition holds it. Best first, then newest. */
export const intersectAndRank = (perTerm: TermEntry[][]): Scored[] => {
  const [first, ...rest] = perTerm;
  if (!first) return [];
  const scores = new Map<string, Scored>();
  for (const e of first) {
    scores.set(e.id, { id: e.id, headline: e.headline, publishedDate: e.publishedDate, score: e.weight });
  }
  for (const entries of rest) {
    const seen = new Map(entries.map((e) => [e.id, e.weight]));
    for (const [id, hit] of scores) {
      const weight = seen.get(id);
      if (weight === undefined) scores.delete(id);
      else hit.score += weight;
    }
  }
  return [...scores.values()].sort(
    (a, b) =>
      b.score - a.score ||
      (b.publishedDate ?? '').localeCompare(a.publishedDate ?? '') ||
      a.id.localeCompare(b.id),
  );
};
