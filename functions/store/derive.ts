import type { Article, Entity } from '../core/article';
import { type EntityType, itemKeyOf, keys, monthOf, normaliseName } from './keys';
import { termsOf } from './terms';

/**
 * What a record derives: THE one definition, used by the derive consumer (./derive-writer.ts) and by anything that
 * checks the table (tests, drills, the verifier). A pure function of the article: the same article always derives
 * the same items, so deriving again is always safe.
 *
 * The index entries an article owns (date, entity, alias, term), keyed by `pk\0sk`. Every entry carries the
 * article summary (id, headline, publishedDate, contentHash) so a list page needs no second read, and the
 * contentHash lets a reader tell which version of the article the entry was written for. Entries of a record that
 * holds no article (a rejection, a delete) are none.
 */
export type IndexEntry = { pk: string; sk: string } & Record<string, unknown>;

export interface Derived {
  /** Items this article alone owns, keyed by itemKeyOf. */
  entries: Map<string, IndexEntry>;
  /** The month whose date partitions hold it (shared with other articles, so never removed with it). */
  month: string | null;
}

export const derive = (article: Article | null): Derived =>
  article
    ? {
        entries: indexEntriesFor(article),
        month: article.publishedDate ? monthOf(article.publishedDate) : null,
      }
    : { entries: new Map(), month: null };

/** DynamoDB allows 1,024-byte sort keys and 2,048-byte partition keys; a "name" this long is parser debris. */
const MAX_NAME_LENGTH = 200;

const ENTITY_LISTS: ReadonlyArray<[EntityType, (a: Article) => Entity[]]> = [
  ['person', (a) => a.people],
  ['place', (a) => a.places],
  ['organization', (a) => a.organizations],
];

const indexEntriesFor = (article: Article): Map<string, IndexEntry> => {
  const summary = {
    id: article.id,
    headline: article.headline,
    publishedDate: article.publishedDate,
    contentHash: article.contentHash,
  };
  const entries = new Map<string, IndexEntry>();
  // Plain assignment, not object spread or Object.assign: building entries was most of the writer's own CPU time
  // (measured), and returning the entry lets each caller set its few extra fields directly.
  const put = (key: { pk: string; sk: string }): IndexEntry => {
    const entry: IndexEntry = {
      pk: key.pk,
      sk: key.sk,
      id: summary.id,
      headline: summary.headline,
      publishedDate: summary.publishedDate,
      contentHash: summary.contentHash,
    };
    entries.set(itemKeyOf(key), entry);
    return entry;
  };
  if (article.publishedDate) put(keys.date(article.publishedDate, article.id));
  for (const [type, listOf] of ENTITY_LISTS) {
    // Two spellings that normalise alike ("EU", "eu") are one entry: keep the more mentioned name, add counts.
    const merged = new Map<string, Entity>();
    for (const entity of listOf(article)) {
      const norm = normaliseName(entity.name);
      if (!norm || norm.length > MAX_NAME_LENGTH) continue;
      const seen = merged.get(norm);
      const best = !seen || entity.mentions > seen.mentions ? entity.name : seen.name;
      merged.set(norm, { name: best, mentions: (seen?.mentions ?? 0) + entity.mentions });
    }
    for (const entity of merged.values()) {
      const entry = put(keys.entity(type, entity.name, article.publishedDate, article.id));
      entry.type = type;
      entry.name = entity.name;
      entry.mentions = entity.mentions;
      // A surname finds the person: "Shoigu" -> "Sergei Shoigu". Only people have surnames worth aliasing.
      if (type !== 'person') continue;
      const parts = entity.name.trim().split(/\s+/);
      const surname = parts.at(-1);
      if (parts.length > 1 && surname && normaliseName(surname).length > 1) {
        const alias = put(keys.alias(type, surname, entity.name, article.id));
        alias.type = type;
        alias.name = entity.name;
      }
    }
  }
  // Each term entry also carries the article's whole term -> weight map (at most TERM_CAP words), so a search page
  // checks the other query words and sums their weights from the driver word's entries alone: no second read per
  // candidate (see ./read-search.ts). Over the BBC sample the map adds ~205 bytes and the largest entry is 457 bytes,
  // still one write unit; only TERM_CAP words near MAX_TERM_LENGTH would push an entry past 1 KB (two units).
  const terms = termsOf(article);
  const termWeights: Record<string, number> = {};
  for (const { term, weight } of terms) termWeights[term] = weight;
  for (const { term, weight } of terms) {
    const entry = put(keys.term(term, weight, article.id));
    entry.weight = weight;
    entry.terms = termWeights;
  }
  return entries;
};
