import type { Article } from '../core/article';
import { derive } from '../store/derive';
import { ENTITY_TYPES, type EntityType, itemKeyOf, keys } from '../store/keys';
import { RecordItemSchema, type RecordRead } from '../store/read-schemas';
import { bareETag } from '../store/record';

/**
 * What the table should hold, compared with what it holds: the verifier's judgement, a pure function of one
 * snapshot (the table read first, then the bucket listings, so a record seen is never newer than the listing).
 * What a record should have derived is ../store/derive.ts, the derive consumer's own definition.
 */
export const DRIFT_KINDS = [
  'object-without-record',
  'record-older-than-object',
  'record-without-object',
  'derived-missing',
  'derived-orphan',
  'derived-differs',
  'count-differs',
  'body-orphan',
  'body-missing',
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export type Repair =
  /** Read the key's current object and write its record, if the record is still the one examined. */
  | { do: 'reingest'; key: string; rev: string | null; sequencer: string | null }
  /** The object is gone: record the key deleted, if the record is still the one examined. */
  | { do: 'mark-deleted'; key: string; rev: string; sequencer: string }
  /** Make the derive consumer derive the record again in full. */
  | { do: 'nudge'; id: string; rev: string }
  /**
   * A derived item no record accounts for, removed if it is unchanged since examined and its article's record is
   * still the one examined (`recordRev`, null: there was none), so an item a newer record derives is never removed.
   */
  | {
      do: 'remove-item';
      pk: string;
      sk: string;
      contentHash: string | null;
      id: string;
      recordRev: string | null;
    }
  | { do: 'put-month'; month: string }
  /** Set a count to its entries, if the counter is unchanged since examined. */
  | {
      do: 'recount';
      pk: string;
      sk: string;
      type: EntityType;
      name: string;
      count: number;
      seen: Record<string, unknown> | null;
    }
  | { do: 'sweep-body'; key: string; versionId?: string };

export interface Finding {
  kind: DriftKind;
  /** The object key, article id or item key the finding is about. */
  subject: string;
  detail: string;
  repair: Repair;
}

export interface ListedObject {
  key: string;
  eTag: string;
  /** Epoch milliseconds. */
  lastModified: number;
  versionId?: string;
}

/** An ingested record's article, as the snapshot could read it. */
export type LoadedArticle = Article | 'missing-body' | 'unreadable';

export interface Snapshot {
  items: ReadonlyArray<Record<string, unknown>>;
  objects: readonly ListedObject[];
  bodies: readonly ListedObject[];
  /** By article id, for every ingested record. */
  articles: ReadonlyMap<string, LoadedArticle>;
}

export interface DriftOptions {
  /** Epoch milliseconds. */
  now: number;
  /** Records and objects younger than this may be mid-flight through the pipeline: not judged. */
  inFlightMs: number;
  /** Unreferenced bodies younger than this may belong to a write in flight: not swept. */
  bodyMinAgeMs: number;
}

export const DEFAULT_DRIFT_OPTIONS = { inFlightMs: 60_000, bodyMinAgeMs: 3_600_000 } as const;

const DERIVED_PREFIXES = ['DATE#', 'ENT#', 'ALIAS#', 'TERM#'];
const isDerived = (pk: string) => DERIVED_PREFIXES.some((p) => pk.startsWith(p));
/** What a body written by the ingest is called (../store/record.ts bodyKeyFor). */
const BODY_KEY = /^bodies\/[0-9a-f]{16}\/[0-9a-f]{64}\.json\.gz$/;
/** Attribute order does not matter; DynamoDB returns maps in its own order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

type Stored = RecordRead & { id: string };

/** The parts of a snapshot: items sorted by what judges them. */
interface Parts {
  records: Map<string, Stored>;
  applied: Map<string, Record<string, unknown>>;
  derivedById: Map<string, Map<string, Record<string, unknown>>>;
  entries: Map<string, { count: number; name: string }>;
  counters: Map<string, Record<string, unknown>>;
  months: Set<string>;
}

const partsOf = (items: ReadonlyArray<Record<string, unknown>>): Parts => {
  const parts: Parts = {
    records: new Map(),
    applied: new Map(),
    derivedById: new Map(),
    entries: new Map(),
    counters: new Map(),
    months: new Set(),
  };
  for (const item of items) {
    const pk = String(item.pk);
    const sk = String(item.sk);
    if (pk.startsWith('ART#') && sk === 'RECORD') {
      const parsed = RecordItemSchema.safeParse(item);
      if (parsed.success) parts.records.set(parsed.data.key, { ...parsed.data, id: pk.slice(4) });
    } else if (pk.startsWith('ART#') && sk === 'APPLIED') parts.applied.set(pk.slice(4), item);
    else if (pk === 'MONTH') parts.months.add(sk);
    else if (pk.startsWith('ENTCAT#')) parts.counters.set(itemKeyOf({ pk, sk }), item);
    else if (isDerived(pk)) {
      const id = typeof item.id === 'string' ? item.id : '';
      const mine = parts.derivedById.get(id) ?? new Map<string, Record<string, unknown>>();
      mine.set(itemKeyOf({ pk, sk }), item);
      parts.derivedById.set(id, mine);
      if (pk.startsWith('ENT#')) {
        const seen = parts.entries.get(pk);
        parts.entries.set(pk, { count: (seen?.count ?? 0) + 1, name: seen?.name ?? String(item.name ?? '') });
      }
    }
  }
  return parts;
};

/**
 * The whole judgement over one snapshot: the articles (records against objects, derived items and bodies), the
 * months they need, and the counts. A partitioned run (./run.ts) makes the same three calls on parts of the
 * snapshot: articles by article id, counts by entity, months once.
 */
export const findDrift = (snapshot: Snapshot, options: DriftOptions): Finding[] => {
  // The items sorted once, for both judgements (the articles' consumes only its own parts).
  const parts = partsOf(snapshot.items);
  const { findings, monthsNeeded, monthsListed } = judgeArticles(snapshot, options, parts);
  return [...findings, ...judgeMonths(monthsNeeded, monthsListed), ...judgeCounts(snapshot.items, parts)];
};

/**
 * Records against the bucket, derived items against what each record derives (../store/derive.ts), bodies against
 * the records pointing at them. Exact for any set of article ids whose records, derived items, objects and bodies
 * are all in `snapshot`. Also returns the months its records need and the months the snapshot lists.
 */
export const judgeArticles = (
  snapshot: Snapshot,
  options: DriftOptions,
  parts: Parts = partsOf(snapshot.items),
): { findings: Finding[]; monthsNeeded: Set<string>; monthsListed: Set<string> } => {
  const findings: Finding[] = [];
  const young = (at: number, within: number) => options.now - at < within;
  const recordYoung = (r: Stored) => young(Date.parse(r.at), options.inFlightMs);
  const { records, applied, months } = parts;
  // Consumed below (each record takes its own items): a copy, so `parts` stays whole for the counts.
  const derivedById = new Map(parts.derivedById);
  const objects = new Map(snapshot.objects.map((o) => [o.key, o]));

  // Records against the bucket.
  for (const object of snapshot.objects) {
    if (young(object.lastModified, options.inFlightMs)) continue;
    const record = records.get(object.key);
    if (!record) {
      findings.push({
        kind: 'object-without-record',
        subject: object.key,
        detail: 'the object has no record (its event was lost, or is late)',
        repair: { do: 'reingest', key: object.key, rev: null, sequencer: null },
      });
    } else if (
      !recordYoung(record) &&
      (record.status === 'deleted' || record.sourceETag !== bareETag(object.eTag))
    ) {
      findings.push({
        kind: 'record-older-than-object',
        subject: object.key,
        detail:
          record.status === 'deleted'
            ? 'the record says deleted, but the bucket holds the object'
            : `the record was made from eTag ${record.sourceETag ?? '(none)'}, the object is ${bareETag(object.eTag)}`,
        repair: { do: 'reingest', key: object.key, rev: record.rev, sequencer: record.sequencer },
      });
    }
  }
  for (const record of records.values()) {
    if (record.status === 'deleted' || objects.has(record.key) || recordYoung(record)) continue;
    findings.push({
      kind: 'record-without-object',
      subject: record.key,
      detail: `the record says ${record.status}, but the bucket has no such object (its delete event was lost)`,
      repair: { do: 'mark-deleted', key: record.key, rev: record.rev, sequencer: record.sequencer },
    });
  }

  // Derived items against what each record derives.
  const bodyKeys = new Set(snapshot.bodies.map((b) => b.key));
  const monthsNeeded = new Set<string>();
  const recordRevs = new Map([...records.values()].map((r) => [r.id, r.rev]));
  for (const record of records.values()) {
    const actual = derivedById.get(record.id) ?? new Map<string, Record<string, unknown>>();
    derivedById.delete(record.id);
    const stamp = applied.get(record.id);
    // Derived (or re-derived) while the snapshot was read: its items may be seen half old, half new.
    const stampYoung =
      typeof stamp?.indexedAt === 'string' && young(Date.parse(stamp.indexedAt), options.inFlightMs);
    if (recordYoung(record) || stampYoung) continue;
    let article: Article | null = null;
    if (record.status === 'ingested') {
      const loaded = snapshot.articles.get(record.id);
      if (loaded === undefined || loaded === 'missing-body' || loaded === 'unreadable') {
        if (record.bodyKey && !bodyKeys.has(record.bodyKey))
          findings.push({
            kind: 'body-missing',
            subject: record.key,
            detail: `the record points at body ${record.bodyKey}, which the body bucket does not hold`,
            repair: { do: 'reingest', key: record.key, rev: record.rev, sequencer: record.sequencer },
          });
        continue;
      }
      article = loaded;
    }
    const { entries: expected, month } = derive(article);
    if (month) monthsNeeded.add(month);
    const missing = [...expected.keys()].filter((k) => !actual.has(k));
    const differs = [...expected].filter(
      ([k, e]) => actual.has(k) && canonical(actual.get(k)) !== canonical(e),
    );
    const nudge: Repair = { do: 'nudge', id: record.id, rev: record.rev };
    if (missing.length > 0)
      findings.push({
        kind: 'derived-missing',
        subject: record.id,
        detail: `${missing.length} of ${expected.size} derived items missing (e.g. ${missing[0]?.replace('\u0000', ' / ')})`,
        repair: nudge,
      });
    if (differs.length > 0)
      findings.push({
        kind: 'derived-differs',
        subject: record.id,
        detail: `${differs.length} derived items differ from what the record derives (e.g. ${differs[0]?.[0].replace('\u0000', ' / ')})`,
        repair: nudge,
      });
    if (
      missing.length + differs.length === 0 &&
      (stamp?.rev !== record.rev || typeof stamp?.indexedAt !== 'string')
    )
      findings.push({
        kind: 'derived-missing',
        subject: record.id,
        detail: 'the record was never marked indexed (a stream record of it was lost)',
        repair: nudge,
      });
    for (const [k, item] of actual)
      if (!expected.has(k))
        findings.push(orphan(k, item, record.rev, `not derived by the record of ${record.key}`));
  }
  for (const [id, items] of derivedById)
    for (const [k, item] of items)
      findings.push(
        orphan(k, item, recordRevs.get(id) ?? null, id ? `article ${id} has no record` : 'no article id'),
      );

  // Bodies.
  const referenced = new Set([...records.values()].flatMap((r) => (r.bodyKey ? [r.bodyKey] : [])));
  for (const body of snapshot.bodies) {
    if (referenced.has(body.key)) continue;
    // A body the ingest could have written, and young: its record may still be on the way.
    if (BODY_KEY.test(body.key) && young(body.lastModified, options.bodyMinAgeMs)) continue;
    findings.push({
      kind: 'body-orphan',
      subject: body.key,
      detail: BODY_KEY.test(body.key)
        ? 'no record points at this body'
        : 'not a body the ingest writes, and no record points at it',
      repair: { do: 'sweep-body', key: body.key, ...(body.versionId ? { versionId: body.versionId } : {}) },
    });
  }
  return { findings, monthsNeeded, monthsListed: months };
};

/** Every month some record needs must be listed (a listed month no record needs is harmless, and kept). */
export const judgeMonths = (needed: Iterable<string>, listed: ReadonlySet<string>): Finding[] =>
  [...needed]
    .filter((month) => !listed.has(month))
    .sort()
    .map((month) => ({
      kind: 'derived-missing',
      subject: `MONTH / ${month}`,
      detail: 'a month with dated articles is not listed',
      repair: { do: 'put-month', month },
    }));

/**
 * Counts against the entries they count. Exact for any set of entities whose entries (`ENT#`) and catalogue items
 * (`ENTCAT#`) are all in `items`.
 */
export const judgeCounts = (
  items: ReadonlyArray<Record<string, unknown>>,
  parts: Parts = partsOf(items),
): Finding[] => {
  const findings: Finding[] = [];
  const { entries, counters } = parts;
  const counted = new Set<string>();
  for (const [pk, { count, name }] of entries) {
    const entityType = ENTITY_TYPES.find((t) => t === pk.split('#')[1]);
    if (!entityType) continue;
    const key = keys.entityCatalogue(entityType, pk.slice(`ENT#${entityType}#`.length));
    counted.add(itemKeyOf(key));
    const counter = counters.get(itemKeyOf(key));
    const stored = Number(counter?.articleCount ?? 0);
    if (stored !== count)
      findings.push({
        kind: 'count-differs',
        subject: `${entityType} / ${key.sk}`,
        detail: `articleCount ${stored}, entries ${count}`,
        repair: {
          do: 'recount',
          ...key,
          type: entityType,
          name: String(counter?.name ?? name),
          count,
          seen: counter ?? null,
        },
      });
  }
  for (const [k, counter] of counters) {
    if (counted.has(k) || Number(counter.articleCount ?? 0) === 0) continue;
    const type = ENTITY_TYPES.find((t) => t === counter.type) ?? 'person';
    findings.push({
      kind: 'count-differs',
      subject: `${type} / ${String(counter.sk)}`,
      detail: `articleCount ${Number(counter.articleCount)}, entries 0`,
      repair: {
        do: 'recount',
        pk: String(counter.pk),
        sk: String(counter.sk),
        type,
        name: String(counter.name ?? counter.sk),
        count: 0,
        seen: counter,
      },
    });
  }
  return findings;
};

const orphan = (k: string, item: Record<string, unknown>, recordRev: string | null, why: string): Finding => {
  const [pk = '', sk = ''] = k.split('\u0000');
  return {
    kind: 'derived-orphan',
    subject: `${pk} / ${sk}`,
    detail: `a derived item no record accounts for: ${why}`,
    repair: {
      do: 'remove-item',
      pk,
      sk,
      contentHash: typeof item.contentHash === 'string' ? item.contentHash : null,
      id: typeof item.id === 'string' ? item.id : '',
      recordRev,
    },
  };
};

export type DriftSummary = Record<DriftKind, { count: number; examples: string[] }>;

/** Counts by kind, and a few examples of each. */
export const summarise = (findings: readonly Finding[], examples = 3): DriftSummary => {
  const summary = Object.fromEntries(
    DRIFT_KINDS.map((k) => [k, { count: 0, examples: [] as string[] }]),
  ) as DriftSummary;
  for (const f of findings) {
    const entry = summary[f.kind];
    entry.count += 1;
    if (entry.examples.length < examples) entry.examples.push(`${f.subject}: ${f.detail}`);
  }
  return summary;
};
