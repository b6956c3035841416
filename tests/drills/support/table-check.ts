import { isDeepStrictEqual } from 'node:util';
import { articleIdForKey, isRejection, type NormaliseResult } from '../../../functions/core/article';
import { normaliseArticle } from '../../../functions/core/index';
import { decodeBody } from '../../../functions/store/article-item';
import { derive } from '../../../functions/store/derive';
import { type EntityType, itemKeyOf, keys } from '../../../functions/store/keys';
import { padSequencer } from '../../../functions/store/sequencer';

/**
 * The exact end state a table must hold for a bucket: computed from the articles (the core run on each live
 * object's current bytes) and `derive()` (THE definition of what a record derives), never from what the writers
 * did. Per key that had an event: one record (`ART#<id>`/`RECORD`) holding the newest event's outcome (and the
 * article, when ingested); APPLIED saying the derive consumer caught up with exactly that record; exactly the
 * derived items of the article, each equal to what `derive()` makes; the month listed; catalogue counts equal to
 * the entity entries that exist.
 */
export interface KeyTruth {
  key: string;
  /** The object's current bytes, or null when the newest event left the key without an object. */
  bytes: Uint8Array | null;
  /** The newest sequencer among the key's events (raw hex). */
  newestSequencer: string;
}

export interface TableReport {
  keys: number;
  outcomes: { ingested: number; rejected: number; deleted: number };
  articles: number;
  entries: { date: number; entity: number; alias: number; term: number };
  catalogue: number;
  /** Everything below must be empty. */
  problems: string[];
}

type Item = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : String(v));
const show = (itemKey: string) => itemKey.replace('\u0000', ' | ');
const kindOf = (pk: string) =>
  pk.startsWith('DATE#')
    ? 'date'
    : pk.startsWith('ENT#')
      ? 'entity'
      : pk.startsWith('ALIAS#')
        ? 'alias'
        : 'term';

/** An item as the table returns it, for comparison with derive()'s entry (numbers and maps as stored). */
const sameEntry = (stored: Item, wanted: Item): boolean =>
  Object.keys(wanted).every((k) => isDeepStrictEqual(stored[k], wanted[k])) &&
  Object.keys(stored).every((k) => k in wanted);

export const checkTable = (
  truths: readonly KeyTruth[],
  items: readonly Item[],
  normalise: (bytes: Uint8Array, key: string) => NormaliseResult = normaliseArticle,
): TableReport => {
  const problems: string[] = [];
  const byKey = new Map(items.map((i) => [itemKeyOf({ pk: str(i.pk), sk: str(i.sk) }), i]));
  const expectedEntries = new Map<string, Item>();
  const expectedCatalogue = new Map<string, number>();
  const expectedMonths = new Set<string>();
  let articles = 0;
  const outcomes = { ingested: 0, rejected: 0, deleted: 0 };
  const entries = { date: 0, entity: 0, alias: 0, term: 0 };

  for (const truth of truths) {
    const id = articleIdForKey(truth.key);
    const record = byKey.get(itemKeyOf(keys.record(id)));
    const applied = byKey.get(itemKeyOf(keys.applied(id)));
    const newest = padSequencer(truth.newestSequencer);
    if (!record) {
      problems.push(`${truth.key}: no record`);
      continue;
    }
    if (record.sequencer !== newest)
      problems.push(`${truth.key}: record sequencer ${str(record.sequencer)}, newest event ${newest}`);
    if (!applied || applied.rev !== record.rev || typeof applied.indexedAt !== 'string')
      problems.push(
        `${truth.key}: derived items not caught up (APPLIED rev ${str(applied?.rev)}, indexedAt ${str(applied?.indexedAt)}; record rev ${str(record.rev)})`,
      );
    const holdsArticle = record.body !== undefined || record.bodyKey !== undefined;
    if (truth.bytes === null) {
      outcomes.deleted += 1;
      if (record.status !== 'deleted') problems.push(`${truth.key}: ${str(record.status)}, expected deleted`);
      if (holdsArticle) problems.push(`${truth.key}: article left in the record after delete`);
      continue;
    }
    const result = normalise(truth.bytes, truth.key);
    if (isRejection(result)) {
      outcomes.rejected += 1;
      if (record.status !== 'rejected' || record.reason !== result.reason)
        problems.push(
          `${truth.key}: ${str(record.status)}/${str(record.reason)}, expected rejected/${result.reason}`,
        );
      if (holdsArticle) problems.push(`${truth.key}: article left in the record after rejection`);
      continue;
    }
    outcomes.ingested += 1;
    if (record.status !== 'ingested') problems.push(`${truth.key}: ${str(record.status)}, expected ingested`);
    if (!holdsArticle) {
      problems.push(`${truth.key}: no article in the record`);
      continue;
    }
    articles += 1;
    if (record.contentHash !== result.contentHash)
      problems.push(`${truth.key}: stored contentHash is not the current object's`);
    // Bodies kept in the body bucket (over 32 KB compressed) are checked by their contentHash above only.
    if (record.body !== undefined) {
      const body = record.body instanceof Uint8Array ? record.body : null;
      if (!body || decodeBody(body).contentHash !== result.contentHash)
        problems.push(`${truth.key}: stored body is not the current object's article`);
    }
    const derived = derive(result);
    if (derived.month) expectedMonths.add(itemKeyOf(keys.month(derived.month)));
    for (const [indexKey, entry] of derived.entries) {
      expectedEntries.set(indexKey, entry);
      entries[kindOf(entry.pk)] += 1;
      if (entry.pk.startsWith('ENT#')) {
        const cat = itemKeyOf(keys.entityCatalogue(entry.type as EntityType, str(entry.name)));
        expectedCatalogue.set(cat, (expectedCatalogue.get(cat) ?? 0) + 1);
      }
    }
  }

  let catalogue = 0;
  const articleIds = new Set(truths.map((t) => keys.articlePartition(articleIdForKey(t.key))));
  for (const [indexKey, item] of byKey) {
    const pk = str(item.pk);
    if (pk.startsWith('ART#')) {
      if (!articleIds.has(pk)) problems.push(`unexpected item ${show(indexKey)}`);
      else if (item.sk !== 'RECORD' && item.sk !== 'APPLIED')
        problems.push(`unexpected item ${show(indexKey)}`);
      continue;
    }
    if (pk.startsWith('ENTCAT#')) {
      const count = Number(item.articleCount ?? 0);
      const want = expectedCatalogue.get(indexKey) ?? 0;
      // A count that fell to zero may stay behind as an item; any other difference is a lost or double update.
      if (count !== want) problems.push(`catalogue ${show(indexKey)}: ${count}, expected ${want}`);
      if (count > 0) catalogue += 1;
      continue;
    }
    // Months are shared by every article of the month and never removed: one left by a deleted article is fine.
    if (pk === keys.monthPartition()) continue;
    const wanted = expectedEntries.get(indexKey);
    if (wanted === undefined) problems.push(`extra entry ${show(indexKey)}`);
    else if (item.contentHash !== wanted.contentHash) problems.push(`stale entry ${show(indexKey)}`);
    else if (!sameEntry(item, wanted)) problems.push(`entry differs from derive(): ${show(indexKey)}`);
  }
  for (const indexKey of expectedEntries.keys())
    if (!byKey.has(indexKey)) problems.push(`missing entry ${show(indexKey)}`);
  for (const month of expectedMonths) if (!byKey.has(month)) problems.push(`missing month ${show(month)}`);
  for (const [indexKey, count] of expectedCatalogue)
    if (!byKey.has(indexKey)) problems.push(`missing catalogue ${show(indexKey)} (${count})`);

  return { keys: truths.length, outcomes, articles, entries, catalogue, problems };
};

/** One line for the drill's printout. */
export const describeReport = (report: TableReport): string =>
  `${report.keys} keys -> ${report.outcomes.ingested} ingested, ${report.outcomes.rejected} rejected, ` +
  `${report.outcomes.deleted} deleted; ${report.articles} articles; entries date ${report.entries.date}, ` +
  `entity ${report.entries.entity}, alias ${report.entries.alias}, term ${report.entries.term}; ` +
  `${report.catalogue} catalogue names; ${report.problems.length} problems`;
