import { articleIdForKey, isRejection, type NormaliseResult } from '../../../functions/core/article';
import { normaliseArticle } from '../../../functions/core/index';
import { decodeBody } from '../../../functions/store/article-item';
import { SequencerSchema } from '../../../functions/store/upload-outcome';
import { indexEntriesFor } from '../../../functions/store/write-entries';

/**
 * The exact end state a table must hold for a bucket: computed from the articles (the core run on each live
 * object's current bytes), never from what the writer did. One outcome per key that had an event; one article
 * and exactly its index entries per ingested key; catalogue counts equal to the entity entries that exist.
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
const kindOf = (pk: string) =>
  pk.startsWith('DATE#')
    ? 'date'
    : pk.startsWith('ENT#')
      ? 'entity'
      : pk.startsWith('ALIAS#')
        ? 'alias'
        : 'term';

const bodyBytes = (body: unknown): Uint8Array | null => (body instanceof Uint8Array ? body : null);

export const checkTable = (
  truths: readonly KeyTruth[],
  items: readonly Item[],
  normalise: (bytes: Uint8Array, key: string) => NormaliseResult = normaliseArticle,
): TableReport => {
  const problems: string[] = [];
  const byKey = new Map(items.map((i) => [`${str(i.pk)}\u0000${str(i.sk)}`, i]));
  const expectedEntries = new Map<string, string>(); // index key -> contentHash
  const expectedCatalogue = new Map<string, number>();
  const expectedArticles = new Set<string>();
  const outcomes = { ingested: 0, rejected: 0, deleted: 0 };
  const entries = { date: 0, entity: 0, alias: 0, term: 0 };

  for (const truth of truths) {
    const id = articleIdForKey(truth.key);
    const upload = byKey.get(`ART#${id}\u0000UPLOAD`);
    const article = byKey.get(`ART#${id}\u0000ARTICLE`);
    const newest = SequencerSchema.parse(truth.newestSequencer);
    if (!upload) {
      problems.push(`${truth.key}: no outcome`);
      continue;
    }
    if (upload.sequencer !== newest)
      problems.push(`${truth.key}: outcome sequencer ${str(upload.sequencer)}, newest event ${newest}`);
    if (upload.pending) problems.push(`${truth.key}: outcome still pending`);
    if (truth.bytes === null) {
      outcomes.deleted += 1;
      if (upload.status !== 'deleted') problems.push(`${truth.key}: ${str(upload.status)}, expected deleted`);
      if (article) problems.push(`${truth.key}: article left behind after delete`);
      continue;
    }
    const result = normalise(truth.bytes, truth.key);
    if (isRejection(result)) {
      outcomes.rejected += 1;
      if (upload.status !== 'rejected' || upload.reason !== result.reason)
        problems.push(
          `${truth.key}: ${str(upload.status)}/${str(upload.reason)}, expected rejected/${result.reason}`,
        );
      if (article) problems.push(`${truth.key}: article left behind after rejection`);
      continue;
    }
    outcomes.ingested += 1;
    expectedArticles.add(`ART#${id}\u0000ARTICLE`);
    if (upload.status !== 'ingested') problems.push(`${truth.key}: ${str(upload.status)}, expected ingested`);
    if (!article) {
      problems.push(`${truth.key}: no article`);
      continue;
    }
    if (article.contentHash !== result.contentHash)
      problems.push(`${truth.key}: stored contentHash is not the current object's`);
    const body = bodyBytes(article.body);
    if (!body || decodeBody(body).contentHash !== result.contentHash)
      problems.push(`${truth.key}: stored body is not the current object's article`);
    for (const [indexKey, entry] of indexEntriesFor(result)) {
      expectedEntries.set(indexKey, result.contentHash);
      entries[kindOf(entry.pk)] += 1;
      if (entry.pk.startsWith('ENT#')) {
        const cat = `ENTCAT#${entry.pk.split('#')[1]}\u0000${entry.pk.slice(entry.pk.indexOf('#', 4) + 1)}`;
        expectedCatalogue.set(cat, (expectedCatalogue.get(cat) ?? 0) + 1);
      }
      if (entry.pk.startsWith('DATE#')) {
        const month = `DATECAT\u0000${entry.pk.slice('DATE#'.length)}`;
        expectedCatalogue.set(month, (expectedCatalogue.get(month) ?? 0) + 1);
      }
    }
  }

  let catalogue = 0;
  const articleIds = new Set(truths.map((t) => `ART#${articleIdForKey(t.key)}`));
  for (const [indexKey, item] of byKey) {
    const pk = str(item.pk);
    if (pk.startsWith('ART#')) {
      if (!articleIds.has(pk)) problems.push(`unexpected item ${indexKey.replace('\u0000', ' | ')}`);
      else if (item.sk === 'ARTICLE' && !expectedArticles.has(indexKey))
        problems.push(`unexpected article ${indexKey.replace('\u0000', ' | ')}`);
      continue;
    }
    if (pk.startsWith('ENTCAT#') || pk === 'DATECAT') {
      const count = Number(item.articleCount ?? 0);
      const want = expectedCatalogue.get(indexKey) ?? 0;
      // A count that fell to zero may stay behind as an item; any other difference is a lost or double update.
      if (count !== want)
        problems.push(`catalogue ${indexKey.replace('\u0000', ' | ')}: ${count}, expected ${want}`);
      if (count > 0 && pk !== 'DATECAT') catalogue += 1;
      continue;
    }
    const hash = expectedEntries.get(indexKey);
    if (hash === undefined) problems.push(`extra entry ${indexKey.replace('\u0000', ' | ')}`);
    else if (item.contentHash !== hash) problems.push(`stale entry ${indexKey.replace('\u0000', ' | ')}`);
  }
  for (const indexKey of expectedEntries.keys())
    if (!byKey.has(indexKey)) problems.push(`missing entry ${indexKey.replace('\u0000', ' | ')}`);
  for (const [indexKey, count] of expectedCatalogue)
    if (!byKey.has(indexKey))
      problems.push(`missing catalogue ${indexKey.replace('\u0000', ' | ')} (${count})`);

  return { keys: truths.length, outcomes, articles: expectedArticles.size, entries, catalogue, problems };
};

/** One line for the drill's printout. */
export const describeReport = (report: TableReport): string =>
  `${report.keys} keys -> ${report.outcomes.ingested} ingested, ${report.outcomes.rejected} rejected, ` +
  `${report.outcomes.deleted} deleted; ${report.articles} articles; entries date ${report.entries.date}, ` +
  `entity ${report.entries.entity}, alias ${report.entries.alias}, term ${report.entries.term}; ` +
  `${report.catalogue} catalogue names; ${report.problems.length} problems`;
