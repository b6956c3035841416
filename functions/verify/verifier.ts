import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { PARSER_VERSION } from '../core/article';
import type { Normalise } from '../ingest/process-record';
import type { Observability } from '../shared/observability';
import type { BodyReader } from '../store/article-body';
import {
  DEFAULT_DRIFT_OPTIONS,
  type DriftSummary,
  type Finding,
  findDrift,
  type Snapshot,
  summarise,
} from './drift';
import { makeRepairer, type RepairTally } from './repairer';
import { makeSources } from './sources';

export type { RepairTally } from './repairer';

/**
 * The verifier of one machine: reads the whole table, then the upload bucket and the body bucket, judges them
 * (./drift.ts) and, when asked, mends what it found (./repairer.ts). The local stack runs it once it is quiet; the
 * AWS run (./run.ts) makes the same judgement on partitions of the same reads.
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

export const makeVerifier = (deps: VerifierDeps) => {
  const now = deps.now ?? Date.now;
  const sources = makeSources(deps);
  const repairer = makeRepairer({ ...deps, parserVersion: deps.parserVersion ?? PARSER_VERSION });

  const check = async (): Promise<CheckResult> => {
    const started = Date.now();
    // The table first, then the bucket: a record seen is never newer than the listing it is compared with.
    const { items, readUnits } = await sources.scanAll();
    const [objects, bodies] = await Promise.all([
      sources.listObjects(deps.bucket),
      sources.listBodies(deps.bodyBucket),
    ]);
    const articles = await sources.loadArticles(items, new Set(bodies.map((b) => b.key)));
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

  const repair = async (findings: readonly Finding[]): Promise<RepairTally> => {
    const tally = await repairer.repair(findings);
    deps.observability.logger.info('verify repaired', { tally });
    return tally;
  };

  return { check, repair };
};

export type Verifier = ReturnType<typeof makeVerifier>;
