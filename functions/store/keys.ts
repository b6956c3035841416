/**
 * Key layout of the single table. Every API question is one Query or GetItem on these keys (no Scan).
 *
 * | item              | pk                              | sk                                  | written by | answers |
 * |-------------------|---------------------------------|-------------------------------------|------------|---------|
 * | record            | `ART#<id>`                      | `RECORD`                            | ingest     | GET /articles/{id}, GET /uploads/{key} |
 * | applied           | `ART#<id>`                      | `APPLIED`                           | derive     | `indexedAt` of GET /uploads/{key} |
 * | date entry        | `DATE#<YYYY-MM>#<0-3>`          | `<YYYY-MM-DD>#<id>`                 | derive     | GET /articles?from&to (four shards a month, merged on read) |
 * | month             | `MONTH`                         | `<YYYY-MM>`                         | derive     | which month partitions to read |
 * | entity entry      | `ENT#<type>#<name lower>`       | `<YYYY-MM-DD or 0000-00-00>#<id>`   | derive     | GET /entities/{type}/{name}/articles |
 * | alias entry       | `ALIAS#<type>#<alias lower>`    | `<name lower>#<id>`                 | derive     | a surname resolving to the canonical name |
 * | term entry        | `TERM#<term>`                   | `<999999 - weight, 6 digits>#<id>`  | derive     | GET /search?q |
 * | entity catalogue  | `ENTCAT#<type>#<first letter>`  | `<name lower>`                      | count      | GET /entities?type&prefix (articleCount) |
 *
 * One writer per kind of item: the ingest writes records (./record-writer.ts), the derive consumer what a record derives (./derive.ts,
 * ./derive-writer.ts), the count consumer the catalogue counts (./count-writer.ts). Everything but the record is a function of records, so it can be rebuilt at any time.
 *
 * Shards keep every partition under DynamoDB's 1,000 write units a second at 1,000 articles a second: the live
 * month's date entries spread over DATE_SHARDS partitions, and the entity catalogue over one partition per first
 * letter (the capacity model in tests/bench/capacity-model.ts shows both).
 */
export const ENTITY_TYPES = ['person', 'place', 'organization'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Sort-key date for undated articles: sorts after every real date in a descending query's tail. */
export const UNDATED = '0000-00-00';

/** Heaviest weight the term sort key can tell apart; heavier terms sort as this one (ties then go by id). */
export const MAX_TERM_WEIGHT = 999_999;

/** Date partitions per month. */
export const DATE_SHARDS = 4;

/** Six digits that sort ascending as the weight descends, so a forward Query reads the heaviest entries first. */
const termRank = (weight: number): string =>
  String(MAX_TERM_WEIGHT - Math.min(MAX_TERM_WEIGHT, Math.max(0, Math.round(weight)))).padStart(6, '0');

/** `YYYY-MM` of a `YYYY-MM-DD` date (or of a date-entry sort key). */
export const monthOf = (date: string): string => date.slice(0, 7);

export const normaliseName = (name: string): string => name.normalize('NFC').toLowerCase().trim();

/** Article ids are 16 hex digits (../core/article-id.ts): the last one spreads them evenly. */
export const dateShardOf = (id: string): number => (Number.parseInt(id.slice(-1), 16) || 0) % DATE_SHARDS;

/**
 * Catalogue shards in sort order: `0` for names before `a` (digits, punctuation), one per letter `a`-`z`, and `~`
 * for names after `z` (accented and non-Latin first letters). Reading the shards in this order reads the names in
 * order, so a listing without a prefix walks them one after another.
 */
export const CATALOGUE_SHARDS = ['0', ...'abcdefghijklmnopqrstuvwxyz', '~'] as const;
export const catalogueShardOf = (normalisedName: string): string => {
  const first = normalisedName.charAt(0);
  if (first < 'a') return '0';
  if (first > 'z') return '~';
  return first;
};

export const keys = {
  record: (id: string) => ({ pk: `ART#${id}`, sk: 'RECORD' }),
  applied: (id: string) => ({ pk: `ART#${id}`, sk: 'APPLIED' }),
  articlePartition: (id: string) => `ART#${id}`,
  date: (publishedDate: string, id: string) => ({
    pk: keys.datePartition(monthOf(publishedDate), dateShardOf(id)),
    sk: `${publishedDate}#${id}`,
  }),
  /** `month` is `YYYY-MM`. */
  datePartition: (month: string, shard: number) => `DATE#${month}#${shard}`,
  month: (month: string) => ({ pk: 'MONTH', sk: month }),
  monthPartition: () => 'MONTH',
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
  entityCatalogue: (type: EntityType, name: string) => {
    const sk = normaliseName(name);
    return { pk: keys.entityCataloguePartition(type, catalogueShardOf(sk)), sk };
  },
  entityCataloguePartition: (type: EntityType, shard: string) => `ENTCAT#${type}#${shard}`,
  term: (term: string, weight: number, id: string) => ({
    pk: `TERM#${term}`,
    sk: `${termRank(weight)}#${id}`,
  }),
  termPartition: (term: string) => `TERM#${term}`,
} as const;

/** `pk\0sk`: one string per item key, for sets and the key lists of ./applied.ts. */
export const itemKeyOf = (key: { pk: string; sk: string }): string => `${key.pk}\u0000${key.sk}`;
export const parseItemKey = (itemKey: string): { pk: string; sk: string } => {
  const at = itemKey.indexOf('\u0000');
  return { pk: itemKey.slice(0, at), sk: itemKey.slice(at + 1) };
};
