import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { PARSER_VERSION } from '../core/article';
import { changeForCreate, type Normalise } from '../ingest/process-record';
import { eachLimited } from '../shared/each-limited';
import type { Observability } from '../shared/observability';
import { type BodyReader, makeS3BodySweeper } from '../store/article-body';
import { decodeBody } from '../store/article-item';
import { makeCountRepairs } from '../store/count-writer';
import { makeDerivedRepairs } from '../store/derive-writer';
import { RecordItemSchema } from '../store/read-schemas';
import { makeRecordWriter } from '../store/record-writer';
import { SEQUENCER_FLOOR } from '../store/sequencer';
import {
  DEFAULT_DRIFT_OPTIONS,
  type DriftKind,
  type DriftSummary,
  type Finding,
  findDrift,
  type ListedObject,
  type LoadedArticle,
  type Repair,
  type Snapshot,
  summarise,
} from './drift';

/**
 * The verifier: reads the table, then the upload bucket and the body bucket, judges them (./drift.ts) and, when
 * asked, mends what it found. Every repair goes through the store's own conditions on what it examined (the
 * record's `rev`, an item's contentHash, a counter's spans), so a write that landed since is never undone: the
 * next check looks at it again. Records are re-ingested from their object with the ingest's own read.
 */
export interface VerifierDeps {
  client: DynamoDBClient;
  tableName: string;
  s3: S3Client;
  bucket: string;
  bodyBucket: string;
  bodies: BodyReader;
  normalise: Normalise;
  observability: Observability;
  parserVersion?: string;
  maxObjectBytes: number;
  now?: () => number;
  inFlightMs?: number;
  bodyMinAgeMs?: number;
}

export interface CheckResult {
  findings: Finding[];
  summary: DriftSummary;
  /** What was read. */
  read: { items: number; records: number; objects: number; bodies: number; readUnits: number; ms: number };
}

export type RepairTally = Record<DriftKind, { mended: number; changedSince: number }>;

export const makeVerifier = (deps: VerifierDeps) => {
  const doc = DynamoDBDocumentClient.from(deps.client);
  const now = deps.now ?? Date.now;
  const writer = makeRecordWriter({ client: deps.client, tableName: deps.tableName });
  const derived = makeDerivedRepairs({ client: deps.client, tableName: deps.tableName });
  const counts = makeCountRepairs({ client: deps.client, tableName: deps.tableName });
  const sweeper = makeS3BodySweeper({ client: deps.s3, bucket: deps.bodyBucket });
  const parserVersion = deps.parserVersion ?? PARSER_VERSION;

  const scan = async () => {
    const items: Array<Record<string, unknown>> = [];
    let readUnits = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({
          TableName: deps.tableName,
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      readUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return { items, readUnits };
  };

  const list = async (bucket: string): Promise<ListedObject[]> => {
    const out: ListedObject[] = [];
    let token: string | undefined;
    do {
      const page = await deps.s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const o of page.Contents ?? [])
        if (o.Key) out.push({ key: o.Key, eTag: o.ETag ?? '', lastModified: o.LastModified?.getTime() ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  };

  /** The body bucket is versioned on AWS: each current version, so a sweep deletes exactly the one examined. */
  const listBodies = async (): Promise<ListedObject[]> => {
    try {
      const out: ListedObject[] = [];
      let keyMarker: string | undefined;
      let versionMarker: string | undefined;
      do {
        const page = await deps.s3.send(
          new ListObjectVersionsCommand({
            Bucket: deps.bodyBucket,
            KeyMarker: keyMarker,
            VersionIdMarker: versionMarker,
          }),
        );
        for (const v of page.Versions ?? [])
          if (v.Key && v.IsLatest)
            out.push({
              key: v.Key,
              eTag: v.ETag ?? '',
              lastModified: v.LastModified?.getTime() ?? 0,
              ...(v.VersionId && v.VersionId !== 'null' ? { versionId: v.VersionId } : {}),
            });
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (keyMarker);
      return out;
    } catch {
      // An S3 stand-in without versions (s3rver): the plain listing names each body's only version.
      return list(deps.bodyBucket);
    }
  };

  const loadArticles = async (items: ReadonlyArray<Record<string, unknown>>, listedBodies: Set<string>) => {
    const articles = new Map<string, LoadedArticle>();
    const records = items.flatMap((i) => {
      if (i.sk !== 'RECORD') return [];
      const parsed = RecordItemSchema.safeParse(i);
      return parsed.success && parsed.data.status === 'ingested'
        ? [{ id: String(i.pk).slice(4), ...parsed.data }]
        : [];
    });
    await eachLimited(records, 16, async (r) => {
      try {
        if (r.body) return void articles.set(r.id, decodeBody(r.body));
        if (!r.bodyKey || !listedBodies.has(r.bodyKey)) return void articles.set(r.id, 'missing-body');
        const body = await deps.bodies.get(r.bodyKey);
        articles.set(r.id, body ? decodeBody(body) : 'missing-body');
      } catch {
        articles.set(r.id, 'unreadable');
      }
    });
    return articles;
  };

  const check = async (): Promise<CheckResult> => {
    const started = Date.now();
    // The table first, then the bucket: a record seen is never newer than the listing it is compared with.
    const { items, readUnits } = await scan();
    const [objects, bodies] = await Promise.all([list(deps.bucket), listBodies()]);
    const articles = await loadArticles(items, new Set(bodies.map((b) => b.key)));
    const snapshot: Snapshot = { items, objects, bodies, articles };
    const findings = findDrift(snapshot, {
      now: now(),
      inFlightMs: deps.inFlightMs ?? DEFAULT_DRIFT_OPTIONS.inFlightMs,
      bodyMinAgeMs: deps.bodyMinAgeMs ?? DEFAULT_DRIFT_OPTIONS.bodyMinAgeMs,
    });
    return {
      findings,
      summary: summarise(findings),
      read: {
        items: items.length,
        records: items.filter((i) => i.sk === 'RECORD').length,
        objects: objects.length,
        bodies: bodies.length,
        readUnits,
        ms: Date.now() - started,
      },
    };
  };

  const reingest = async (repair: Extract<Repair, { do: 'reingest' }>): Promise<boolean> => {
    const read = await changeForCreate({ bucket: deps.bucket, key: repair.key }, deps);
    if (!read) return false;
    const result = await writer.write({
      key: repair.key,
      sequencer: repair.sequencer ?? SEQUENCER_FLOOR,
      parserVersion,
      repairOf: { rev: repair.rev },
      ...read,
    });
    return result.effect === 'written';
  };

  const apply = async (repair: Repair): Promise<boolean> => {
    switch (repair.do) {
      case 'reingest':
        return reingest(repair);
      case 'mark-deleted': {
        const result = await writer.write({
          key: repair.key,
          sequencer: repair.sequencer,
          parserVersion,
          repairOf: { rev: repair.rev },
          change: { kind: 'deleted', detail: 'the object was no longer in the bucket (found by verify)' },
        });
        return result.effect === 'written';
      }
      case 'nudge':
        return writer.nudge(repair.id, repair.rev);
      case 'remove-item':
        return derived.remove(repair.pk, repair.sk, repair.contentHash, {
          id: repair.id,
          recordRev: repair.recordRev,
        });
      case 'put-month':
        return derived.putMonth(repair.month);
      case 'recount':
        return counts.setCount(
          { pk: repair.pk, sk: repair.sk },
          { type: repair.type, name: repair.name },
          repair.count,
          repair.seen,
        );
      case 'sweep-body':
        await sweeper.remove(repair.key, repair.versionId);
        return true;
    }
  };

  /** Counters first: the other repairs change entries, and the count consumer counts those changes on top. */
  const ORDER: Repair['do'][] = [
    'recount',
    'remove-item',
    'put-month',
    'mark-deleted',
    'reingest',
    'nudge',
    'sweep-body',
  ];

  const repair = async (findings: readonly Finding[]): Promise<RepairTally> => {
    const tally = Object.fromEntries(
      Object.keys(summarise([])).map((k) => [k, { mended: 0, changedSince: 0 }]),
    ) as RepairTally;
    // One repair per record even when several findings name it (a nudge mends missing and differing items alike).
    const seen = new Set<string>();
    const unique = findings.filter((f) => {
      const id = JSON.stringify(f.repair);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    for (const step of ORDER)
      await eachLimited(
        unique.filter((f) => f.repair.do === step),
        8,
        async (f) => {
          const done = await apply(f.repair);
          tally[f.kind][done ? 'mended' : 'changedSince'] += 1;
        },
      );
    deps.observability.logger.info('verify repaired', { tally });
    return tally;
  };

  return { check, repair };
};

export type Verifier = ReturnType<typeof makeVerifier>;
