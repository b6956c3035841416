import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MAX_ARTICLE_BYTES } from '../../../functions/core/article';
import { articleIdForKey } from '../../../functions/core/article-id';
import { normaliseArticle } from '../../../functions/core/normalise';
import { makeObservability } from '../../../functions/shared/observability';
import { makeS3BodyStore } from '../../../functions/store/article-body';
import { bareETag } from '../../../functions/store/record';
import { DRIFT_KINDS, type DriftSummary } from '../../../functions/verify/drift';
import type { RunReport } from '../../../functions/verify/run';
import { makeVerifier } from '../../../functions/verify/verifier';
import { LOCAL_AWS } from '../../../infra/local/dynamodb-local';
import { makeLocalS3Client } from '../../../infra/local/s3-local';
import { type LocalStack, startLocalStack } from '../../../infra/local/stack';
import { LIBRARY_ARTICLE } from '../../e2e/articles';
import { scanTable } from '../../support/scan-table';
import { localVerifyRun } from '../../support/verify-run';
import type { HeavyDrill, Log } from './drills';

/**
 * The AWS verify run, repairing, over and over while uploads, overwrites and deletes keep landing and derived items
 * are deleted behind the pipeline's back: with no in-flight margin, every record is judged, so each finding races
 * the writes and only the confirm step and the repairs' conditions stand between it and a newer write.
 *
 * In rounds; at the end of each, the writers stopped and the stack idle, before any further repair:
 * - every key's record is what its newest upload or delete made (no repair undid a newer write);
 * - no count differs from its entries (no recount raced the count consumer into counting an entry twice);
 * - no derived item is made up (no repair wrote one).
 * After one more repairing run, the whole-table verifier finds nothing.
 */
const KEYS = 24;
const WRITERS = 3;
const ROUNDS = 10;
const ROUND_MS = 6_000;
const REPORTS = 'race-reports';

type Last = { kind: 'put'; eTag: string; version: number } | { kind: 'delete' };

const versionText = (key: string, version: number) =>
  LIBRARY_ARTICLE.replace('Ashcombe', `Racecombe ${key.replace(/\W/g, '')} ${version}`);

export const verifyRaceDrill: HeavyDrill = async (log) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'drill-verify-race-'));
  let stack: LocalStack | null = null;
  try {
    stack = await startLocalStack({ dataDir, seedsDir: null });
    return await race(stack, log);
  } finally {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const race = async (stack: LocalStack, log: Log): Promise<string[]> => {
  const problems: string[] = [];
  const s3 = makeLocalS3Client(stack.s3Endpoint);
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint });
  const doc = DynamoDBDocumentClient.from(client);
  const bodies = makeS3BodyStore({ client: s3, bucket: `${stack.bucket}-bodies` });
  const scan = () => scanTable(doc, stack.tableName);
  const observability = makeObservability('verify');
  const run = localVerifyRun(stack, { client, s3 }, REPORTS, {
    observability,
    // The local count consumer applies a stream record within a second or so: two seconds of standing still.
    countSettleMs: 2_000,
  });
  const wholeTable = makeVerifier({
    client,
    tableName: stack.tableName,
    s3,
    bucket: stack.bucket,
    bodyBucket: `${stack.bucket}-bodies`,
    bodies,
    normalise: normaliseArticle,
    observability,
    maxObjectBytes: MAX_ARTICLE_BYTES,
    inFlightMs: 0,
  });
  const counts = (found: DriftSummary) =>
    Object.fromEntries(DRIFT_KINDS.filter((k) => found[k].count > 0).map((k) => [k, found[k].count]));

  try {
    await s3.send(new CreateBucketCommand({ Bucket: REPORTS }));
    const keys = Array.from({ length: KEYS }, (_, i) => `race/k${String(i).padStart(2, '0')}.txt`);
    const last = new Map<string, Last>();
    const locks = new Map<string, Promise<void>>();
    let version = 0;
    const put = async (key: string) => {
      const v = ++version;
      const out = await s3.send(
        new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: versionText(key, v) }),
      );
      last.set(key, { kind: 'put', eTag: bareETag(out.ETag ?? ''), version: v });
    };
    const remove = async (key: string) => {
      await s3.send(new DeleteObjectCommand({ Bucket: stack.bucket, Key: key }));
      last.set(key, { kind: 'delete' });
    };
    /** One operation at a time per key, so "its newest write" is well defined. */
    const onKey = async (key: string, op: () => Promise<void>) => {
      const before = locks.get(key) ?? Promise.resolve();
      const mine = before.then(op);
      locks.set(
        key,
        mine.catch(() => {}),
      );
      await mine;
    };
    for (const key of keys) await put(key);
    await stack.waitForIdle(120_000);
    log(
      `verify-race: ${KEYS} keys ingested; ${ROUNDS} rounds of ${ROUND_MS / 1000} s, ${WRITERS} writers and a damager each`,
    );

    const random = (n: number) => Math.floor(Math.random() * n);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const reports: RunReport[] = [];
    let ops = 0;
    let damaged = 0;

    /** The invariants, checked at the end of every round before anything else repairs: nothing can mask a slip. */
    const check = async (round: number) => {
      const items = await scan();
      const records = new Map(items.filter((i) => i.sk === 'RECORD').map((i) => [String(i.key), i]));
      for (const key of keys) {
        const want = last.get(key);
        const record = records.get(key);
        if (!want || !record) {
          problems.push(`round ${round}, ${key}: no record (expected ${want?.kind ?? 'a write'})`);
          continue;
        }
        if (want.kind === 'delete' && record.status !== 'deleted')
          problems.push(`round ${round}, ${key}: deleted last, but its record says ${String(record.status)}`);
        if (want.kind === 'put' && (record.status !== 'ingested' || record.sourceETag !== want.eTag))
          problems.push(
            `round ${round}, ${key}: last put version ${want.version} (eTag ${want.eTag}), but its record says ${String(record.status)} from ${String(record.sourceETag)}`,
          );
        if (want.kind === 'put') {
          const res = await fetch(`${stack.apiUrl}/articles/${articleIdForKey(key)}`);
          const body = await res.text();
          if (!body.includes(`Racecombe ${key.replace(/\W/g, '')} ${want.version}`))
            problems.push(
              `round ${round}, ${key}: GET /articles answers ${res.status} without version ${want.version}`,
            );
        }
      }
      // What the damager cannot explain must not be there: no record-level drift, no made-up item, no count off.
      const judged = await wholeTable.check();
      for (const kind of DRIFT_KINDS.filter((k) => !['derived-missing', 'derived-differs'].includes(k)))
        if (judged.summary[kind].count > 0)
          problems.push(
            `round ${round}: ${judged.summary[kind].count} ${kind} (e.g. ${judged.summary[kind].examples[0]})`,
          );
      return judged;
    };

    for (let round = 1; round <= ROUNDS; round++) {
      let writing = true;
      const writers = Array.from({ length: WRITERS }, async () => {
        while (writing) {
          const key = keys[random(keys.length)] as string;
          await onKey(key, () => (Math.random() < 0.7 ? put(key) : remove(key)));
          ops += 1;
          await sleep(20 + random(150));
        }
      });
      const damager = (async () => {
        while (writing) {
          const derived = (await scan()).filter((i) => /^(DATE|ENT|ALIAS|TERM)#/.test(String(i.pk)));
          for (let n = 0; n < 3 && derived.length > 0; n++) {
            const item = derived[random(derived.length)] as Record<string, unknown>;
            await doc.send(
              new DeleteCommand({ TableName: stack.tableName, Key: { pk: item.pk, sk: item.sk } }),
            );
            damaged += 1;
          }
          await sleep(1_000);
        }
      })();
      // Repairing runs with no in-flight margin, one after another while the writers run.
      const verifying = (async () => {
        await sleep(random(1_000));
        do
          reports.push(
            await run.runAll({
              run: `race-${reports.length + 1}`,
              repair: true,
              readSharePercent: 10,
              segments: 2,
              partitions: 3,
              countPartitions: 2,
              inFlightMs: 0,
            }),
          );
        while (writing);
      })();
      await sleep(ROUND_MS);
      writing = false;
      await Promise.all([...writers, damager, verifying]);
      await stack.waitForIdle(180_000);
      await check(round);
    }

    const sum = (f: (r: RunReport) => number) => reports.reduce((n, r) => n + f(r), 0);
    const mended = sum((r) => DRIFT_KINDS.reduce((n, k) => n + (r.mended?.[k].mended ?? 0), 0));
    const changedSince = sum((r) => DRIFT_KINDS.reduce((n, k) => n + (r.mended?.[k].changedSince ?? 0), 0));
    log(
      `verify-race: ${ROUNDS} rounds, ${ops} writes, ${damaged} derived items deleted; ${reports.length} repairing runs found ${sum((r) => DRIFT_KINDS.reduce((n, k) => n + r.found[k].count, 0))}, mended ${mended}, refused ${changedSince} as changed since, dropped ${sum((r) => r.changedDuringRun)} as changed during the run`,
    );
    if (mended === 0) problems.push('no repair was applied while the writers ran: the drill raced nothing');

    const final = await run.runAll({ run: 'race-final', repair: true, readSharePercent: 10, inFlightMs: 0 });
    await stack.waitForIdle(120_000);
    const after = await wholeTable.check();
    log(
      `verify-race: last repairing run mended ${final.found ? JSON.stringify(counts(final.found)) : '{}'}; whole-table check after it: ${JSON.stringify(counts(after.summary))}`,
    );
    if (after.findings.length > 0)
      problems.push(`after a last repair the table still drifts: ${JSON.stringify(counts(after.summary))}`);
    return problems;
  } finally {
    s3.destroy();
    client.destroy();
  }
};
