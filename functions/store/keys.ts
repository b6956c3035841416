/**
 * Key layout of the single table. Every API question is one Query or GetItem on these keys (no Scan).
 *
 * | item              | pk                              | sk                                  | answers |
 * |-------------------|---------------------------------|-------------------------------------|---------|
 * | article           | `ART#<id>`                      | `ARTICLE`                           | GET /articles/{id} |
 * | upload outcome    | `ART#<id>`                      | `UPLOAD`                            | GET /uploads/{key} (id = articleIdForKey(key)) |
 * | date entry        | `DATE#<YYYY-MM>`                | `<YYYY-MM-DD>#<id>`                 | GET /articles?from&to (newest first: ScanIndexForward=false; months newest first) |
 * | month catalogue   | `DATECAT`                       | `<YYYY-MM>`                         | which month partitions hold articles (articleCount, kept by the stream consumer) |
 * | entity entry      | `ENT#<type>#<name lower>`       | `<YYYY-MM-DD or 0000-00-00>#<id>`   | GET /entities/{type}/{name}/articles |
 * | alias entry       | `ALIAS#<type>#<alias lower>`    | `<name lower>#<id>`                 | a surname resolving to the canonical name |
 * | entity catalogue  | `ENTCAT#<type>`                 | `<name lower>`                      | GET /entities?type&prefix (articleCount kept by the stream consumer) |
 * | term entry        | `TERM#<term>`                   | `<999999 - weight, 6 digits>#<id>`  | GET /search?q (heaviest first; `weight` and `terms` attributes; terms ANDed in the API) |
 *
 * Index entries (date, entity, alias, term) carry `id`, `headline`, `publishedDate` and `contentHash` so a list
 * page needs no second read, and the `rev` that wrote them. The upload outcome lists the keys of all the entries
 * its revision owns (./key-lists.ts) so a re-ingest can remove what the new version lacks and a delete can remove
 * every entry without a query (./article-writer.ts).
 *
 * The upload outcome shares the article's partition so one Query reads both when ingesting.
 *
 * Date entries are partitioned by month, so no partition takes every article (a partition takes at most 1,000
 * write units a second): a bulk load over years spreads across many, a live feed fills this month's. Catalogue
 * items (entity and month) are shared between articles and therefore never written by an ingest transaction; the
 * table's stream consumer keeps their counts (functions/catalogue).
 */
export const ENTITY_TYPES = ['person', 'place', 'organization'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Sort-key date for undated articles: sorts after every real date in a descending query's tail. */
export const UNDATED = '0000-00-00';

/** Heaviest weight the term sort key can tell apart; heavier terms sort as this one (ties then go by id). */
export const MAX_TERM_WEIGHT = 999_999;

/** Six digits that sort ascending as the weight descends, so a forward Query reads the heaviest entries first. */
const termRank = (weight: number): string =>
  String(MAX_TERM_WEIGHT - Math.min(MAX_TERM_WEIGHT, Math.max(0, Math.round(weight)))).padStart(6, '0');

/** `YYYY-MM` of a `YYYY-MM-DD` date (or of a date-entry sort key). */
export const monthOf = (date: string): string => date.slice(0, 7);

export const normaliseName = (name: string): string => name.normalize('NFC').toLowerCase().trim();

export const keys = {
  article: (id: string) => ({ pk: `ART#${id}`, sk: 'ARTICLE' }),
  upload: (id: string) => ({ pk: `ART#${id}`, sk: 'UPLOAD' }),
  articlePartition: (id: string) => `ART#${id}`,
  date: (publishedDate: string, id: string) => ({
    pk: `DATE#${monthOf(publishedDate)}`,
    sk: `${publishedDate}#${id}`,
  }),
  /** `month` is `YYYY-MM`. */
  datePartition: (month: string) => `DATE#${month}`,
  dateCatalogue: (month: string) => ({ pk: 'DATECAT', sk: month }),
  dateCataloguePartition: () => 'DATECAT',
  entity: (type: EntityType, name: string, publishedDate: string | null, id: string) => ({
    pk: `ENT#${type}#${normaliseName(name)}`,
    sk: `${publishedDate ?? UNDATED}#${id}`,
  }),
  entityPartition: (type: EntityType, name: string) => `ENT#${type}#${normaliseName(name)}`,
  alias: (type: EntityType, alias: string, name: string, id: string) => ({
    pk: `ALIAS#${type}#${normaliseName(alias)}`,
    sk: `${normaliseName(name)}#${id}`,
  }),
  aliasPartition: (type: EntityType, alias: string) => `ALIAS#${type}#${normaliseName(alias)}`,
  entityCatalogue: (type: EntityType, name: string) => ({ pk: `ENTCAT#${type}`, sk: normaliseName(name) }),
  entityCataloguePartition: (type: EntityType) => `ENTCAT#${type}`,
  term: (term: string, weight: number, id: string) => ({
    pk: `TERM#${term}`,
    sk: `${termRank(weight)}#${id}`,
  }),
  termPartition: (term: string) => `TERM#${term}`,
} as const;
