import { gunzipSync, gzipSync } from 'node:zlib';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { articleIdForKey } from '../core/article-id';
import type { Normalise } from '../ingest/process-record';
import { eachLimited } from '../shared/each-limited';
import type { Observability } from '../shared/observability';
import type { BodyReader } from '../store/article-body';
import { keys } from '../store/keys';
import { RecordItemSchema } from '../store/read-schemas';
import {
  DEFAULT_DRIFT_OPTIONS,
  DRIFT_KINDS,
  type DriftSummary,
  type Finding,
  judgeArticles,
  judgeCounts,
  judgeMonths,
  type ListedObject,
  summarise,
} from './drift';
import { makeRepairer, type RepairTally } from './repairer';
import { type BodyCursor, makeSources } from './sources';

/**
 * The verify of a table too big for one reader: the AWS state machine's steps (infra/constructs/verify.ts), as
 * plain functions so the same code runs in Lambda and, step by step, against DynamoDB Local and s3rver in tests.
 *
 * 1. plan: sizes the run from DescribeTable: parallel Scan segments, partitions, and the read rate each segment may
 *    use (a stated share of the table's read capacity).
 * 2. collect (one per Scan segment, one for each bucket; resumed until done): reads a page at a time and writes what
 *    it read to the report bucket, sorted by partition ("shuffle"): everything of an article (record, APPLIED, derived
 *    items, object, bodies) by its id; entity entries once more, with their counters, by entity; months apart.
 * 3. judge counts, then articles (one per partition): reads its partition, makes the very judgement of ./drift.ts,
 *    confirms each finding against the table as it is now (so a write that landed during the run is not reported),
 *    and mends when asked.
 * 4. report: months, the totals, a JSON report in the report bucket, and the metrics the drift alarm watches.
 *
 * Freshness: the run judges as of its start. Records, objects and derivations newer than the start (less the
 * in-flight margin) are left for the next run; every repair is conditional on what was examined (./repairer.ts).
 */
export interface RunDeps {
  client: DynamoDBClient;
  tableName: string;
  s3: S3Client;
  bucket: string;
  bodyBucket: string;
  reportBucket: string;
  bodies: BodyReader;
  normalise: Normalise;
  maxObjectBytes: number;
  parserVersion: string;
  observability: Observability;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How long a counter and its entries must stand still before a recount (VERIFY_SIZING.countSettleMs). */
  countSettleMs?: number;
}

/** Sizing, in one place so the docs, the bench model and the state machine agree. */
export const VERIFY_SIZING = {
  /**
   * Read units a second one sequential Scan reads (eventually consistent 1 MB pages, about 8 a second): the run
   * reads its budget with as many segments as it takes, so collectors read rather than wait. A segment is resumed
   * across invocations, so its size does not matter.
   */
  segmentReadUnits: 1_000,
  maxSegments: 64,
  /** Table bytes per judged partition: what one 2 GB Lambda holds as objects with room to spare. */
  partitionBytes: 64 * 1024 ** 2,
  /**
   * The Maps are inline: every iteration's events count against an execution's 25,000-event history. A judged
   * partition takes about 9, so 1,000 of them (and their 125 count partitions) leave room for collector resumes and
   * retries. Past 64 GB of table a partition holds more than partitionBytes (docs/limits.md).
   */
  maxPartitions: 1_000,
  /** Article partitions per entity-count partition (entries are a small part of a partition's bytes). */
  articlePartitionsPerCountPartition: 8,
  /** Segments and partitions read at once (the state machine's Map concurrency). */
  concurrency: 8,
  /** Read capacity assumed for an on-demand table that reports none (a new on-demand table's warm throughput). */
  onDemandReadUnits: 12_000,
  /**
   * A partition's buffer is written out when it reaches this (about a file per MB of the snapshot, whatever the
   * number of partitions: S3 requests are most of a run's cost after the reads), and every buffer when all of them
   * reach memoryBytes.
   */
  partitionFlushBytes: 1024 ** 2,
  memoryBytes: 256 * 1024 ** 2,
  /**
   * A counter found off is recounted only if it and its entries did not change for this long: more than the count
   * consumer's 5 s batching window and 60 s tumbling window (infra/constructs/stream-consumers.ts).
   */
  countSettleMs: 90_000,
  /** A collector stops this long before its deadline and is resumed. */
  stopBeforeDeadlineMs: 90_000,
} as const;

export interface PlanInput {
  /** The run's name (the execution's name on AWS): its files are under verify/runs/<run>/. */
  run: string;
  repair: boolean;
  /** Share of the table's read capacity the whole run may use, in percent. */
  readSharePercent: number;
  segments?: number;
  partitions?: number;
  countPartitions?: number;
  /** Records and objects younger than this at the start are not judged. */
  inFlightMs?: number;
  bodyMinAgeMs?: number;
  /** Items (or objects) a page: smaller pages only to exercise resuming (tests). */
  pageItems?: number;
}

export interface Plan {
  run: string;
  repair: boolean;
  startedAt: number;
  segments: number;
  partitions: number;
  countPartitions: number;
  inFlightMs: number;
  bodyMinAgeMs: number;
  pageItems?: number;
  budget: {
    /** The table's read capacity as DescribeTable tells it (units a second). */
    capacity: number;
    sharePercent: number;
    /** What the whole run may read, and each segment reading at once. */
    readUnitsPerSecond: number;
    perSegment: number;
  };
}

export type Source = { source: 'table'; segment: number } | { source: 'objects' } | { source: 'bodies' };

export interface Collecting {
  task: Source;
  /** Where to resume (null: start); `done` when the source is read to its end. */
  cursor: unknown;
  done: boolean;
  /** Invocations so far; names the files each writes. */
  step: number;
}

export type Part = { kind: 'counts' | 'articles'; partition: number };

/** What a judged partition leaves for the report. */
interface PartResult {
  found: DriftSummary;
  mended: RepairTally | null;
  /** Findings dropped because what they name changed during the run. */
  changedDuringRun: number;
  monthsNeeded: string[];
  read: { items: number; records: number; objects: number; bodies: number };
}

export interface RunReport {
  run: string;
  startedAt: string;
  finishedAt: string;
  repair: boolean;
  plan: Omit<Plan, 'run' | 'repair' | 'startedAt'>;
  read: { items: number; records: number; objects: number; bodies: number; readUnits: number };
  /** The partitioned snapshot the run wrote (JSON bytes before compression, and files). */
  snapshot: { bytes: number; files: number };
  found: DriftSummary;
  /** Per kind: mended, and left because what it names changed since (the next run looks again). */
  mended: RepairTally | null;
  changedDuringRun: number;
  /** No drift found; with repair: every finding mended. */
  clean: boolean;
  /** Findings not mended (all of them without repair). */
  left: number;
}

const ROOT = 'verify/runs';
export const reportKeyOf = (run: string): string => `verify/reports/${run}.json`;
const shuffleDir = (run: string, dir: string) => `${ROOT}/${run}/shuffle/${dir}/`;
const resultKey = (run: string, part: Part) => `${ROOT}/${run}/results/${part.kind}-${part.partition}.json`;
const statsKey = (run: string, name: string) => `${ROOT}/${run}/stats/${name}.json`;
export const articleDir = (p: number) => `a-${p}`;
export const countDir = (p: number) => `c-${p}`;
export const MONTHS_DIR = 'months';

/** FNV-1a: a cheap, stable spread of ids and entity keys over partitions. */
export const partitionOf = (value: string, partitions: number): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
};

const BODY_ID = /^bodies\/([^/]+)\//;

/** JSON that keeps binary attributes (record bodies, key lists) and sets. */
const binaryReplacer = (_: string, v: unknown) => {
  if (v instanceof Uint8Array) return { $bin: Buffer.from(v).toString('base64') };
  if (v instanceof Set) return { $set: [...v] };
  return v;
};
const encode = (value: unknown): Buffer => gzipSync(JSON.stringify(value, binaryReplacer));
/** What an item adds to a snapshot file, before compression. */
const encodedLength = (item: unknown): number => JSON.stringify(item, binaryReplacer).length;
const decode = <T>(bytes: Uint8Array): T =>
  JSON.parse(gunzipSync(bytes).toString('utf8'), (_, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.$bin === 'string') return new Uint8Array(Buffer.from(o.$bin, 'base64'));
      if (Array.isArray(o.$set)) return new Set(o.$set);
    }
    return v;
  }) as T;

type Sizes = Pick<Plan, 'partitions' | 'countPartitions'>;

/**
 * Where a table item goes in the partitioned snapshot: everything of an article (its record, APPLIED and derived
 * items) to its article's partition; an entity entry also, slimmed to what a count needs, to its entity's count
 * partition, with the entity's counter; the month list apart. Each partition then holds all that the judgement of
 * its part needs (./drift.ts judgeArticles, judgeCounts, judgeMonths).
 */
export const itemRoutes = (
  item: Record<string, unknown>,
  sizes: Sizes,
): Array<{ dir: string; value: Record<string, unknown> }> => {
  const pk = String(item.pk);
  if (pk === 'MONTH') return [{ dir: MONTHS_DIR, value: item }];
  if (pk.startsWith('ENTCAT#')) {
    const type = pk.split('#')[1] ?? '';
    return [
      { dir: countDir(partitionOf(`ENT#${type}#${String(item.sk)}`, sizes.countPartitions)), value: item },
    ];
  }
  const id = pk.startsWith('ART#') ? pk.slice(4) : typeof item.id === 'string' ? item.id : pk;
  const routes = [{ dir: articleDir(partitionOf(id, sizes.partitions)), value: item }];
  if (pk.startsWith('ENT#'))
    routes.push({
      dir: countDir(partitionOf(pk, sizes.countPartitions)),
      value: { pk, sk: item.sk, name: item.name },
    });
  return routes;
};

/** An upload goes to the partition of the article its key names; a body to its article's (by its name). */
export const objectRoute = (kind: 'objects' | 'bodies', o: ListedObject, sizes: Sizes): string =>
  articleDir(
    partitionOf(
      kind === 'objects' ? articleIdForKey(o.key) : (BODY_ID.exec(o.key)?.[1] ?? o.key),
      sizes.partitions,
    ),
  );

interface Shuffle {
  items?: Array<Record<string, unknown>>;
  objects?: ListedObject[];
  bodies?: ListedObject[];
}

export const makeVerifyRun = (deps: RunDeps) => {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const settleMs = deps.countSettleMs ?? VERIFY_SIZING.countSettleMs;
  const sources = makeSources(deps);
  const repairer = makeRepairer(deps);
  const doc = DynamoDBDocumentClient.from(deps.client);

  const put = (key: string, body: Uint8Array | string) =>
    deps.s3.send(new PutObjectCommand({ Bucket: deps.reportBucket, Key: key, Body: body }));
  const get = async (key: string): Promise<Uint8Array> => {
    const out = await deps.s3.send(new GetObjectCommand({ Bucket: deps.reportBucket, Key: key }));
    if (!out.Body) throw new Error(`s3://${deps.reportBucket}/${key} has no body`);
    return out.Body.transformToByteArray();
  };
  const listKeys = async (prefix: string): Promise<string[]> => {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await deps.s3.send(
        new ListObjectsV2Command({ Bucket: deps.reportBucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) out.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  };

  const plan = async (input: PlanInput): Promise<Plan> => {
    const table = (await deps.client.send(new DescribeTableCommand({ TableName: deps.tableName }))).Table;
    const bytes = table?.TableSizeBytes ?? 0;
    const provisioned =
      table?.BillingModeSummary?.BillingMode !== 'PAY_PER_REQUEST' &&
      (table?.ProvisionedThroughput?.ReadCapacityUnits ?? 0) > 0;
    const capacity = provisioned
      ? (table?.ProvisionedThroughput?.ReadCapacityUnits ?? 0)
      : (table?.WarmThroughput?.ReadUnitsPerSecond ?? 0) ||
        (table?.OnDemandThroughput?.MaxReadRequestUnits ?? 0) ||
        VERIFY_SIZING.onDemandReadUnits;
    const clamp = (n: number, max: number) => Math.min(max, Math.max(1, Math.ceil(n)));
    const readUnitsPerSecond = Math.max(1, Math.floor((capacity * input.readSharePercent) / 100));
    const segments =
      input.segments ?? clamp(readUnitsPerSecond / VERIFY_SIZING.segmentReadUnits, VERIFY_SIZING.maxSegments);
    const partitions =
      input.partitions ?? clamp(bytes / VERIFY_SIZING.partitionBytes, VERIFY_SIZING.maxPartitions);
    const countPartitions =
      input.countPartitions ??
      clamp(partitions / VERIFY_SIZING.articlePartitionsPerCountPartition, VERIFY_SIZING.maxPartitions);
    return {
      run: input.run,
      repair: input.repair,
      startedAt: now(),
      segments,
      partitions,
      countPartitions,
      inFlightMs: input.inFlightMs ?? DEFAULT_DRIFT_OPTIONS.inFlightMs,
      bodyMinAgeMs: input.bodyMinAgeMs ?? DEFAULT_DRIFT_OPTIONS.bodyMinAgeMs,
      ...(input.pageItems ? { pageItems: input.pageItems } : {}),
      budget: {
        capacity,
        sharePercent: input.readSharePercent,
        readUnitsPerSecond,
        perSegment: Math.max(1, readUnitsPerSecond / Math.min(segments, VERIFY_SIZING.concurrency)),
      },
    };
  };

  /** The sources to collect from: each Scan segment, then the two buckets. */
  const sourcesOf = (p: Plan): Collecting[] =>
    [
      ...Array.from({ length: p.segments }, (_, segment) => ({ source: 'table' as const, segment })),
      { source: 'objects' as const },
      { source: 'bodies' as const },
    ].map((task) => ({ task, cursor: null, done: false, step: 0 }));

  /** Reads from one source until it ends or `timeLeft()` runs low; writes what it read by partition. */
  const collect = async (p: Plan, state: Collecting, timeLeft: () => number): Promise<Collecting> => {
    const buffers = new Map<string, Shuffle & { bytes: number }>();
    let buffered = 0;
    let bytes = 0;
    let files = 0;
    const name =
      state.task.source === 'table'
        ? `table-${state.task.segment}-${state.step}`
        : `${state.task.source}-${state.step}`;
    const full = new Set<string>();
    const add = (dir: string, kind: keyof Shuffle, value: never, size: number) => {
      const buffer = buffers.get(dir) ?? { bytes: 0 };
      buffers.set(dir, buffer);
      const list: unknown[] = buffer[kind] ?? [];
      buffer[kind] = list as never;
      list.push(value);
      buffer.bytes += size;
      buffered += size;
      bytes += size;
      if (buffer.bytes >= VERIFY_SIZING.partitionFlushBytes) full.add(dir);
    };
    /** Writes the full buffers (all of them at the end, or when memory runs short), each as a file of its own. */
    const flush = async (all: boolean) => {
      const written = [...buffers].filter(([dir]) => all || full.has(dir));
      for (const [dir, { bytes: size }] of written) {
        buffers.delete(dir);
        buffered -= size;
      }
      full.clear();
      await eachLimited(written, 8, ([dir, { items, objects, bodies }]) =>
        put(`${shuffleDir(p.run, dir)}${name}-${files++}.json.gz`, encode({ items, objects, bodies })),
      );
    };
    const routeItem = (item: Record<string, unknown>, size: number) => {
      for (const { dir, value } of itemRoutes(item, p))
        add(dir, 'items', value as never, value === item ? size : 64);
    };
    const routeObject = (kind: 'objects' | 'bodies', o: ListedObject) =>
      add(objectRoute(kind, o, p), kind, o as never, 200);

    let cursor = state.cursor;
    let done = false;
    let readUnits = 0;
    let read = 0;
    const started = now();
    // At least one page an invocation, so a run always moves on.
    do {
      if (state.task.source === 'table') {
        const page = await sources.scanPage({
          start: (cursor as Record<string, unknown> | null) ?? undefined,
          segment: { segment: state.task.segment, of: p.segments },
          consistent: false,
          ...(p.pageItems ? { limit: p.pageItems } : {}),
        });
        for (const item of page.items) routeItem(item, encodedLength(item));
        read += page.items.length;
        readUnits += page.readUnits;
        cursor = page.next ?? null;
        done = page.next === undefined;
        // Pace: never faster than this segment's share of the budget.
        // Never past this invocation's own stopping point: the next one carries on.
        const aheadMs = (readUnits / p.budget.perSegment) * 1000 - (now() - started);
        const canWait = timeLeft() - VERIFY_SIZING.stopBeforeDeadlineMs;
        if (aheadMs > 0) await sleep(Math.max(0, Math.min(aheadMs, canWait)));
      } else if (state.task.source === 'objects') {
        const page = await sources.objectsPage(
          deps.bucket,
          (cursor as string | null) ?? undefined,
          p.pageItems,
        );
        for (const o of page.objects) routeObject('objects', o);
        read += page.objects.length;
        cursor = page.next ?? null;
        done = page.next === undefined;
      } else {
        const page = await sources.bodiesPage(
          deps.bodyBucket,
          (cursor as BodyCursor | null) ?? { versions: true },
        );
        for (const o of page.objects) routeObject('bodies', o);
        read += page.objects.length;
        cursor = page.next ?? null;
        done = page.next === undefined;
      }
      if (buffered >= VERIFY_SIZING.memoryBytes) await flush(true);
      else if (full.size > 0) await flush(false);
    } while (!done && timeLeft() > VERIFY_SIZING.stopBeforeDeadlineMs);
    await flush(true);
    await put(
      statsKey(p.run, name),
      JSON.stringify({ source: state.task.source, read, readUnits, bytes, files }),
    );
    return { task: state.task, cursor, done, step: state.step + 1 };
  };

  const readPartition = async (p: Plan, dir: string): Promise<Required<Shuffle>> => {
    const files = await listKeys(shuffleDir(p.run, dir));
    const all: Required<Shuffle> = { items: [], objects: [], bodies: [] };
    await eachLimited(files, 8, async (key) => {
      const part = decode<Shuffle>(await get(key));
      all.items.push(...(part.items ?? []));
      all.objects.push(...(part.objects ?? []));
      all.bodies.push(...(part.bodies ?? []));
    });
    return all;
  };

  /** The article a finding is about, and the record `rev` it was judged against (null: none). */
  const subjectOf = (f: Finding): { id: string; rev: string | null } | null => {
    const r = f.repair;
    switch (r.do) {
      case 'reingest':
      case 'mark-deleted':
        return { id: articleIdForKey(r.key), rev: r.rev };
      case 'nudge':
        return { id: r.id, rev: r.rev };
      case 'remove-item':
        return r.id ? { id: r.id, rev: r.recordRev } : null;
      default:
        return null;
    }
  };
  /** The article whose record a body's name says may point at it (a body the ingest wrote), for its sweep. */
  const bodyOwnerOf = (f: Finding): string | null =>
    f.repair.do === 'sweep-body' ? (BODY_ID.exec(f.repair.key)?.[1] ?? null) : null;

  /**
   * Keeps the findings still true of the table now: the article's record is the one judged, and neither it nor its
   * derivation is newer than the run's start (less the margin). A snapshot read over minutes may see a record
   * before an overwrite and its items after; this drops what that would report.
   */
  const confirmArticles = async (p: Plan, findings: Finding[]): Promise<Finding[]> => {
    const cutoff = p.startedAt - p.inFlightMs;
    const current = new Map<string, { rev: string | null; fresh: boolean; bodyKey: string | null }>();
    const ids = [...new Set(findings.flatMap((f) => subjectOf(f)?.id ?? bodyOwnerOf(f) ?? []))];
    await eachLimited(ids, 16, async (id) => {
      const out = await doc.send(
        new QueryCommand({
          TableName: deps.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.articlePartition(id) },
          ConsistentRead: true,
        }),
      );
      const record = out.Items?.find((i) => i.sk === 'RECORD');
      const parsed = record ? RecordItemSchema.safeParse(record) : null;
      const applied = out.Items?.find((i) => i.sk === 'APPLIED');
      const at = parsed?.success ? Date.parse(parsed.data.at) : 0;
      const indexedAt = typeof applied?.indexedAt === 'string' ? Date.parse(applied.indexedAt) : 0;
      current.set(id, {
        rev: parsed?.success ? parsed.data.rev : null,
        fresh: at >= cutoff || indexedAt >= cutoff,
        bodyKey: parsed?.success ? (parsed.data.bodyKey ?? null) : null,
      });
    });
    return findings.filter((f) => {
      // A body is swept only after a strongly consistent look at the record that could point at it (DESIGN,
      // pitfall 10): a record written during the run may point at a body the snapshot saw unreferenced.
      const owner = bodyOwnerOf(f);
      if (owner !== null && f.repair.do === 'sweep-body') return current.get(owner)?.bodyKey !== f.repair.key;
      const subject = subjectOf(f);
      if (!subject) return true;
      const seen = current.get(subject.id);
      return seen !== undefined && seen.rev === subject.rev && !seen.fresh;
    });
  };

  /** A counter (consistent read) and the number of entries it counts (consistent Query, counted). */
  const countNow = async (repair: Extract<Finding['repair'], { do: 'recount' }>) => {
    // The counter first, then its entries: a count consumer update in between changes the counter, and the
    // repair's condition on what was seen refuses it.
    const counter = (
      await doc.send(
        new GetCommand({
          TableName: deps.tableName,
          Key: { pk: repair.pk, sk: repair.sk },
          ConsistentRead: true,
        }),
      )
    ).Item;
    let entries = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: deps.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `ENT#${repair.type}#${repair.sk}` },
          ConsistentRead: true,
          Select: 'COUNT',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      entries += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return { counter: counter ?? null, entries, stored: Number(counter?.articleCount ?? 0) };
  };

  /**
   * Keeps the count findings still true now, each with the counter and the entries as they are now. A counter is
   * only recounted when it and its entries stood still for countSettleMs (longer than the count consumer's batching
   * and tumbling windows): an entry written just before the count whose stream record the consumer has not applied
   * yet would otherwise be counted twice, once by the repair and once by the consumer.
   */
  const confirmCounts = async (findings: Finding[]): Promise<Finding[]> => {
    const recounts = findings.flatMap((f) => (f.repair.do === 'recount' ? [{ f, repair: f.repair }] : []));
    const first = new Map<Finding, Awaited<ReturnType<typeof countNow>>>();
    await eachLimited(recounts, 8, async ({ f, repair }) => {
      const now = await countNow(repair);
      if (now.stored !== now.entries) first.set(f, now);
    });
    if (first.size === 0) return [];
    if (settleMs > 0) await sleep(settleMs);
    const kept: Finding[] = [];
    await eachLimited(recounts, 8, async ({ f, repair }) => {
      const before = first.get(f);
      if (!before) return;
      const now = await countNow(repair);
      if (now.entries !== before.entries || JSON.stringify(now.counter) !== JSON.stringify(before.counter))
        return;
      kept.push({
        ...f,
        detail: `articleCount ${now.stored}, entries ${now.entries}`,
        repair: { ...repair, count: now.entries, seen: now.counter },
      });
    });
    return kept;
  };

  const judge = async (p: Plan, part: Part): Promise<{ found: number }> => {
    const options = { now: p.startedAt, inFlightMs: p.inFlightMs, bodyMinAgeMs: p.bodyMinAgeMs };
    let findings: Finding[];
    let monthsNeeded: string[] = [];
    let read: PartResult['read'];
    if (part.kind === 'counts') {
      const { items } = await readPartition(p, countDir(part.partition));
      findings = judgeCounts(items);
      read = { items: items.length, records: 0, objects: 0, bodies: 0 };
    } else {
      const { items, objects, bodies } = await readPartition(p, articleDir(part.partition));
      const articles = await sources.loadArticles(items, new Set(bodies.map((b) => b.key)));
      const judged = judgeArticles({ items, objects, bodies, articles }, options);
      findings = judged.findings;
      monthsNeeded = [...judged.monthsNeeded];
      read = {
        items: items.length,
        records: items.filter((i) => i.sk === 'RECORD').length,
        objects: objects.length,
        bodies: bodies.length,
      };
    }
    const confirmed =
      part.kind === 'counts' ? await confirmCounts(findings) : await confirmArticles(p, findings);
    const mended = p.repair ? await repairer.repair(confirmed) : null;
    const result: PartResult = {
      found: summarise(confirmed),
      mended,
      changedDuringRun: findings.length - confirmed.length,
      monthsNeeded,
      read,
    };
    await put(resultKey(p.run, part), JSON.stringify(result));
    return { found: confirmed.length };
  };

  /** Counts first (REPAIR_ORDER), then articles; the state machine runs them as two Maps in this order. */
  const partsOf = (p: Plan): { counts: Part[]; articles: Part[] } => ({
    counts: Array.from({ length: p.countPartitions }, (_, partition) => ({ kind: 'counts', partition })),
    articles: Array.from({ length: p.partitions }, (_, partition) => ({ kind: 'articles', partition })),
  });

  const report = async (p: Plan): Promise<RunReport> => {
    const results = await Promise.all(
      (await listKeys(`${ROOT}/${p.run}/results/`)).map(
        async (k) => JSON.parse(Buffer.from(await get(k)).toString('utf8')) as PartResult,
      ),
    );
    const stats = await Promise.all(
      (await listKeys(`${ROOT}/${p.run}/stats/`)).map(
        async (k) =>
          JSON.parse(Buffer.from(await get(k)).toString('utf8')) as {
            source: Source['source'];
            read: number;
            readUnits: number;
            bytes: number;
            files: number;
          },
      ),
    );
    const { items: monthItems } = await readPartition(p, MONTHS_DIR);
    const monthFindings = judgeMonths(
      new Set(results.flatMap((r) => r.monthsNeeded)),
      new Set(monthItems.map((i) => String(i.sk))),
    );
    const found = summarise(monthFindings);
    const mended = p.repair ? await repairer.repair(monthFindings) : null;
    for (const r of results)
      for (const kind of DRIFT_KINDS) {
        found[kind].count += r.found[kind].count;
        found[kind].examples.push(...r.found[kind].examples);
        found[kind].examples.splice(3);
        if (mended && r.mended) {
          mended[kind].mended += r.mended[kind].mended;
          mended[kind].changedSince += r.mended[kind].changedSince;
        }
      }
    const total = DRIFT_KINDS.reduce((n, k) => n + found[k].count, 0);
    const fixed = mended ? DRIFT_KINDS.reduce((n, k) => n + mended[k].mended, 0) : 0;
    const sum = (f: (r: PartResult) => number) => results.reduce((n, r) => n + f(r), 0);
    const readOf = (source: Source['source']) =>
      stats.filter((s) => s.source === source).reduce((n, s) => n + s.read, 0);
    const { run, repair, startedAt, ...sizing } = p;
    const out: RunReport = {
      run,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(now()).toISOString(),
      repair,
      plan: sizing,
      read: {
        items: readOf('table'),
        records: sum((r) => r.read.records),
        objects: readOf('objects'),
        bodies: readOf('bodies'),
        readUnits: stats.reduce((n, s) => n + s.readUnits, 0),
      },
      snapshot: {
        bytes: stats.reduce((n, st) => n + st.bytes, 0),
        files: stats.reduce((n, st) => n + st.files, 0),
      },
      found,
      mended: mended ?? null,
      changedDuringRun: sum((r) => r.changedDuringRun),
      clean: total - fixed === 0,
      left: total - fixed,
    };
    await put(reportKeyOf(run), JSON.stringify(out, null, 2));
    const { metrics } = deps.observability;
    // Bodies nothing points at are the garbage overwrites leave by design (no writer deletes a body): swept, counted
    // apart, and not drift the alarm should wake anyone for.
    metrics.addMetric('VerifyDriftFound', 'Count', total - found['body-orphan'].count);
    metrics.addMetric('VerifyBodiesSwept', 'Count', mended ? mended['body-orphan'].mended : 0);
    metrics.addMetric('VerifyDriftLeft', 'Count', total - fixed);
    metrics.addMetric(
      'VerifyChangedSince',
      'Count',
      mended ? DRIFT_KINDS.reduce((n, k) => n + mended[k].changedSince, 0) : 0,
    );
    metrics.addMetric('VerifyReadUnits', 'Count', out.read.readUnits);
    deps.observability.logger.info('verify report', {
      run,
      found: total,
      left: total - fixed,
      report: reportKeyOf(run),
    });
    return out;
  };

  /**
   * The whole run in one process, step by step as the state machine runs it (tests, and a stack-less rehearsal).
   * `timeLeft` stands for the Lambda's remaining time, so a collector is resumed as it would be there.
   */
  const runAll = async (input: PlanInput, timeLeft: () => number = () => Number.POSITIVE_INFINITY) => {
    const p = await plan(input);
    await eachLimited(sourcesOf(p), VERIFY_SIZING.concurrency, async (first) => {
      let state = first;
      while (!state.done) state = await collect(p, state, timeLeft);
    });
    const parts = partsOf(p);
    await eachLimited(parts.counts, VERIFY_SIZING.concurrency, (part) => judge(p, part));
    await eachLimited(parts.articles, VERIFY_SIZING.concurrency, (part) => judge(p, part));
    return report(p);
  };

  return { plan, sourcesOf, collect, judge, partsOf, report, runAll };
};

export type VerifyRun = ReturnType<typeof makeVerifyRun>;
