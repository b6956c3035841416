import type { TermEntry } from './read-types';
import { searchTokens } from './terms';

/**
 * Search terms of a query, tokenised exactly as the writer tokenises keywords and entity names (stopwords and
 * one-letter words dropped), so "Sergei Shoigu" becomes two terms, both of which must match. terms.ts
 * imports only a type, so the API bundle stays free of the article core.
 */
export const searchTermsOf = (q: string): string[] => [...new Set(searchTokens(q))];

/** Most terms a query may hold (a query parameter limit; a page costs one Query however many there are). */
export const MAX_SEARCH_TERMS = 5;

/**
 * A search page is ONE Query on one term's partition (the driver), never more, so its read units do not grow with
 * the table. Term entries sort heaviest first (sk `<999999 - weight>#<id>`, see ./keys.ts) and each carries the
 * article's whole term -> weight map, so the other query words are checked and scored from the driver's entries
 * alone. Designs weighed and not taken: a BatchGetItem of candidate article items (or of a small per-article terms
 * item) costs at least 0.5 read unit per candidate, since BatchGetItem rounds every item up to 4 KB and a
 * projection does not reduce it; one Query of a window rounds the window's total size up to 4 KB once. Reading
 * every term's partition and intersecting (the old design) grows with the table.
 *
 * A page reads a window of `searchWindow(limit)` driver entries from the cursor on and keeps those whose article
 * holds every other word. It may come back short (even empty) when few entries of a window match all words;
 * `next` is null only when the driver's partition is exhausted.
 */
export const SEARCH_WINDOW_MIN = 50;
export const SEARCH_WINDOW_MAX = 100;
export const searchWindow = (limit: number): number =>
  Math.min(SEARCH_WINDOW_MAX, Math.max(limit * 3, SEARCH_WINDOW_MIN));

/**
 * The term whose partition a search pages through. The longest term, as a rarity heuristic: longer words
 * ("shoigu") are held by fewer articles than short ones ("uk"), so a window yields more full matches. Ties go
 * alphabetically, not by position in the query: the cursor is bound to the sorted set of terms, so "a b" and
 * "b a" must page the same partition. Any driver gives correct results; the choice only affects page fill.
 */
export const driverOf = (terms: readonly string[]): string | undefined =>
  [...terms].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))[0];

export interface Scored {
  id: string;
  headline: string;
  publishedDate: string | null;
  score: number;
}

/**
 * The hits in one window of the driver's entries (heaviest first): entries whose article holds every term, at
 * most `limit`. `resumeAfter` is the sort key of the last entry served when the page filled before the window
 * ended (null otherwise: resume where the window ended). Within the page, hits are ranked by the summed weight
 * of all terms (ties keep the driver's order); across pages they follow the driver's weight, so a one-word search
 * is best first throughout.
 */
export const matchWindow = (
  entries: readonly TermEntry[],
  terms: readonly string[],
  driver: string,
  limit: number,
): { hits: Scored[]; resumeAfter: string | null } => {
  const others = terms.filter((t) => t !== driver);
  const hits: Scored[] = [];
  let resumeAfter: string | null = null;
  for (const [i, e] of entries.entries()) {
    let score = e.weight;
    let all = true;
    for (const t of others) {
      // Own keys only: a query word such as "constructor" must not find Object.prototype's members.
      const w = e.terms && Object.hasOwn(e.terms, t) ? e.terms[t] : undefined;
      if (w === undefined) {
        all = false;
        break;
      }
      score += w;
    }
    if (!all) continue;
    hits.push({ id: e.id, headline: e.headline, publishedDate: e.publishedDate, score });
    if (hits.length === limit) {
      if (i < entries.length - 1) resumeAfter = e.sk;
      break;
    }
  }
  // Array.prototype.sort is stable: equal scores stay in the driver's (weight, id) order.
  return { hits: hits.sort((a, b) => b.score - a.score), resumeAfter };
};
