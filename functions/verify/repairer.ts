import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { changeForCreate, type Normalise } from '../ingest/process-record';
import { eachLimited } from '../shared/each-limited';
import type { Observability } from '../shared/observability';
import { makeS3BodyStore, makeS3BodySweeper } from '../store/article-body';
import { makeCountRepairs } from '../store/count-writer';
import { makeDerivedRepairs } from '../store/derive-writer';
import { makeRecordWriter } from '../store/record-writer';
import { SEQUENCER_FLOOR } from '../store/sequencer';
import { DRIFT_KINDS, type DriftKind, type Finding, type Repair } from './drift';

/**
 * Mends findings. Every repair goes through the store's own conditions on what was examined (the record's `rev`,
 * an item's contentHash and its record's `rev`, a counter's spans, a body's version), so a write that landed since
 * is never undone: it is counted "changed since" and the next check looks at it again. Records are re-ingested
 * from their object with the ingest's own read.
 */
export interface RepairerDeps {
  client: DynamoDBClient;
  tableName: string;
  s3: S3Client;
  bucket: string;
  bodyBucket: string;
  normalise: Normalise;
  maxObjectBytes: number;
  parserVersion: string;
  observability: Observability;
}

export type RepairTally = Record<DriftKind, { mended: number; changedSince: number }>;

export const emptyTally = (): RepairTally =>
  Object.fromEntries(DRIFT_KINDS.map((k) => [k, { mended: 0, changedSince: 0 }])) as RepairTally;

/** Counters first: the other repairs change entries, and the count consumer counts those changes on top. */
export const REPAIR_ORDER: readonly Repair['do'][] = [
  'recount',
  'remove-item',
  'put-month',
  'mark-deleted',
  'reingest',
  'nudge',
  'sweep-body',
];

export const makeRepairer = (deps: RepairerDeps) => {
  // A re-ingested article too large for its item keeps its body in the body bucket, as the ingest's would.
  const writer = makeRecordWriter({
    client: deps.client,
    tableName: deps.tableName,
    bodies: makeS3BodyStore({ client: deps.s3, bucket: deps.bodyBucket }),
  });
  const derived = makeDerivedRepairs({ client: deps.client, tableName: deps.tableName });
  const counts = makeCountRepairs({ client: deps.client, tableName: deps.tableName });
  const sweeper = makeS3BodySweeper({ client: deps.s3, bucket: deps.bodyBucket });
  const { parserVersion } = deps;

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

  /** Mends each finding once (several findings may name one repair), kind by kind in REPAIR_ORDER. */
  const repair = async (findings: readonly Finding[], tally = emptyTally()): Promise<RepairTally> => {
    const seen = new Set<string>();
    const unique = findings.filter((f) => {
      const id = JSON.stringify(f.repair);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    for (const step of REPAIR_ORDER)
      await eachLimited(
        unique.filter((f) => f.repair.do === step),
        8,
        async (f) => {
          const done = await apply(f.repair);
          tally[f.kind][done ? 'mended' : 'changedSince'] += 1;
        },
      );
    return tally;
  };

  return { apply, repair };
};
