import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleIdForKey, MAX_ARTICLE_BYTES } from '../../functions/core/article';
import { normaliseArticle } from '../../functions/core/normalise';
import { makeS3BodyStore } from '../../functions/store/article-body';
import type { DriftSummary } from '../../functions/verify/drift';
import { type PlanInput, type RunDeps, reportKeyOf } from '../../functions/verify/run';
import { makeVerifyStep } from '../../functions/verify/step';
import { makeVerifier } from '../../functions/verify/verifier';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { HARBOUR_ARTICLE, LIBRARY_ARTICLE, longArticle } from '../e2e/articles';
import { logicalId, synthesize } from '../infra/synth';
import { quietObservability } from '../support/quiet-observability';
import { definitionOf, runDefinition } from '../support/state-machine';
import { localVerifyRun } from '../support/verify-run';

/**
 * The AWS verify's steps (plan, collect per Scan segment and bucket, judge counts then articles per partition,
 * report), run one by one against DynamoDB Local and s3rver as the state machine runs them: the partitioned
 * judgement finds exactly what the whole-table verifier finds, mends it, resumes collectors cut short, and does not
 * report what changed while it ran. Then the synthesized state machine itself, run by a small interpreter of its
 * JSONata definition against the real step handler: the wiring (each step's payload, the plan variable seen inside
 * the Maps, the collect loop, counts before articles, the report) does what the steps were tested to do.
 */
const SEEDS = resolve(import.meta.dirname, '../../seeds');
const REPORTS = 'verify-reports';

let dataDir: string;
let stack: LocalStack;
let s3: S3Client;
let doc: DynamoDBDocumentClient;
let client: DynamoDBClient;

const texts: Record<string, string> = {
  'desk/harbour.txt': HARBOUR_ARTICLE,
  'desk/library.txt': LIBRARY_ARTICLE,
  'desk/harbour-copy.txt': HARBOUR_ARTICLE.replace('Monday', 'Friday'),
  'desk/other.txt': LIBRARY_ARTICLE.replace('Ashcombe', 'Bexcombe'),
};

const runner = (over: Partial<RunDeps> = {}) =>
  localVerifyRun(stack, { client, s3 }, REPORTS, { countSettleMs: 0, ...over });
const wholeTable = () =>
  makeVerifier({
    client,
    tableName: stack.tableName,
    s3,
    bucket: stack.bucket,
    bodyBucket: `${stack.bucket}-bodies`,
    bodies: makeS3BodyStore({ client: s3, bucket: `${stack.bucket}-bodies` }),
    normalise: normaliseArticle,
    observability: quietObservability(),
    maxObjectBytes: MAX_ARTICLE_BYTES,
    inFlightMs: 0,
  });
let runs = 0;
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  run: `run-${++runs}`,
  repair: false,
  readSharePercent: 10,
  segments: 3,
  partitions: 4,
  countPartitions: 2,
  inFlightMs: 0,
  ...over,
});
const counts = (found: DriftSummary) =>
  Object.fromEntries(
    Object.entries(found)
      .filter(([, k]) => k.count > 0)
      .map(([kind, k]) => [kind, k.count]),
  );
const bodies = (key: string) => makeS3BodyStore({ client: s3, bucket: `${stack.bucket}-bodies` }).get(key);
const get = async (path: string) => (await fetch(`${stack.apiUrl}${path}`)).text();
const lookups = async () => {
  const paths = [
    '/articles?limit=50',
    '/entities?type=person',
    '/entities?type=place',
    '/entities/person/helena%20trask/articles',
    '/entities/place/ashcombe/articles',
    '/search?q=harbour',
    '/search?q=library',
    ...[...Object.keys(texts), readdirSync(SEEDS)[0] ?? ''].map((k) => `/articles/${articleIdForKey(k)}`),
  ];
  return Object.fromEntries(await Promise.all(paths.map(async (p) => [p, await get(p)] as const)));
};

const { stack: cdkStack, template } = synthesize({ verifySchedule: 'rate(1 day)' });
const definition = definitionOf(template, logicalId(cdkStack.verify.stateMachine));
let executions = 0;

/** One execution as Step Functions would run it; collectors get two seconds of "Lambda time", so they resume. */
const execute = async (input: unknown) => {
  const step = makeVerifyStep(
    // Judged as if an hour had passed: nothing the test wrote is still in flight.
    runner({ now: () => Date.now() + 3_600_000 }),
    { readSharePercent: 10 },
  );
  const calls: string[] = [];
  const result = await runDefinition(definition, input, {
    executionName: `exec-${++executions}`,
    invoke: async (payload) => {
      calls.push(String((payload as { action: string }).action));
      return step(payload, () => 0);
    },
  });
  return {
    ...result,
    calls,
    output: result.output as { clean: boolean; found: number; left: number; report: string },
  };
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'verify-run-'));
  stack = await startLocalStack({ dataDir, seedsDir: SEEDS });
  s3 = makeLocalS3Client(stack.s3Endpoint);
  client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint });
  doc = DynamoDBDocumentClient.from(client);
  await s3.send(new CreateBucketCommand({ Bucket: REPORTS }));
  for (const [key, text] of Object.entries(texts))
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: text }));
  await stack.waitForIdle();
}, 120_000);
afterAll(async () => {
  s3?.destroy();
  client?.destroy();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the partitioned verify run (the state machine steps)', () => {
  it('finds nothing on an undamaged table, reads everything once, and leaves its report in the bucket', async () => {
    const report = await runner().runAll(input());
    expect(counts(report.found)).toEqual({});
    expect(report.clean).toBe(true);
    const items = (await doc.send(new ScanCommand({ TableName: stack.tableName }))).Items ?? [];
    expect(report.read.items).toBe(items.length);
    expect(report.read.records).toBe(items.filter((i) => i.sk === 'RECORD').length);
    expect(report.read.objects).toBe(Object.keys(texts).length + readdirSync(SEEDS).length);
    const stored = await s3.send(new GetObjectCommand({ Bucket: REPORTS, Key: reportKeyOf(report.run) }));
    expect(JSON.parse((await stored.Body?.transformToString()) ?? '{}')).toMatchObject({
      run: report.run,
      clean: true,
    });
  });

  it('resumes collectors cut short: one page an invocation reads the same as one pass', async () => {
    const report = await runner().runAll(input({ pageItems: 25 }), () => 0);
    expect(report.clean).toBe(true);
    const items = (await doc.send(new ScanCommand({ TableName: stack.tableName }))).Items ?? [];
    expect(report.read.items).toBe(items.length);
  });

  it('finds exactly what the whole-table verifier finds, mends it, and every lookup answers as before', async () => {
    const before = await lookups();
    const items = (await doc.send(new ScanCommand({ TableName: stack.tableName }))).Items ?? [];
    const derived = items.filter((i) => /^(DATE|ENT|ALIAS|TERM)#/.test(String(i.pk)));
    for (const item of derived.filter((_, i) => i % 10 === 0))
      await doc.send(new DeleteCommand({ TableName: stack.tableName, Key: { pk: item.pk, sk: item.sk } }));
    for (const item of derived.slice(1, 6))
      await doc.send(
        new PutCommand({
          TableName: stack.tableName,
          Item: { ...item, sk: `${String(item.sk)}x`, id: 'eeeeeeeeeeeeeeee' },
        }),
      );
    for (const counter of items.filter((i) => String(i.pk).startsWith('ENTCAT#')).slice(0, 3))
      await doc.send(
        new UpdateCommand({
          TableName: stack.tableName,
          Key: { pk: counter.pk, sk: counter.sk },
          UpdateExpression: 'SET articleCount = :n',
          ExpressionAttributeValues: { ':n': 42 },
        }),
      );
    await doc.send(
      new DeleteCommand({
        TableName: stack.tableName,
        Key: { pk: `ART#${articleIdForKey('desk/other.txt')}`, sk: 'RECORD' },
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: `${stack.bucket}-bodies`,
        Key: 'stray.bin',
        Body: 'nothing points here',
      }),
    );
    await stack.waitForIdle();

    const expected = counts((await wholeTable().check()).summary);
    expect(Object.keys(expected).sort()).toEqual(
      ['body-orphan', 'count-differs', 'derived-missing', 'derived-orphan', 'object-without-record'].sort(),
    );
    const found = await runner().runAll(input());
    expect(counts(found.found)).toEqual(expected);
    expect(found.clean).toBe(false);
    expect(found.left).toBe(Object.values(expected).reduce((a, b) => a + b, 0));

    const mended = await runner().runAll(input({ repair: true }));
    expect(mended.left).toBe(0);
    expect(mended.clean).toBe(true);
    await stack.waitForIdle();
    expect(counts((await wholeTable().check()).summary)).toEqual({});
    expect(counts((await runner().runAll(input())).found)).toEqual({});
    const after = await lookups();
    const changed = Object.keys(before).filter((p) => after[p] !== before[p]);
    expect(changed.map((p) => [p, before[p], after[p]])).toEqual([]);
  });

  it('reads no faster than its share of the read budget, and publishes what it found as metrics', async () => {
    // A clock that only the collectors' waits move: the time the run took is exactly what it waited.
    let clock = Date.now() + 3_600_000;
    const slept: number[] = [];
    const observability = quietObservability();
    const metrics: Record<string, number> = {};
    observability.metrics.addMetric = ((name: string, _unit: unknown, value: number) => {
      metrics[name] = value;
    }) as typeof observability.metrics.addMetric;
    const paced = runner({
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
      observability,
    });
    const report = await paced.runAll(input({ readSharePercent: 1, segments: 1, pageItems: 40 }));
    const { perSegment } = report.plan.budget;
    expect(perSegment).toBe(120); // 1% of the 12,000 units a second an on-demand table is taken to have
    expect(report.read.readUnits).toBeGreaterThan(0);
    expect(slept.length).toBeGreaterThan(1);
    // One segment: everything it read took at least readUnits / perSegment seconds.
    expect(slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(
      (report.read.readUnits / perSegment) * 1000 - 1,
    );
    expect(metrics).toMatchObject({
      VerifyDriftFound: 0,
      VerifyDriftLeft: 0,
      VerifyReadUnits: report.read.readUnits,
    });
  });

  it('does not report, nor mend, what changed while it ran', async () => {
    const key = 'desk/library.txt';
    const id = articleIdForKey(key);
    const items = (await doc.send(new ScanCommand({ TableName: stack.tableName }))).Items ?? [];
    const entry = items.find((i) => i.id === id && String(i.pk).startsWith('ENT#'));
    await doc.send(new DeleteCommand({ TableName: stack.tableName, Key: { pk: entry?.pk, sk: entry?.sk } }));
    await stack.waitForIdle();
    const run = runner();
    const plan = await run.plan(input({ repair: true }));
    for (let state of run.sourcesOf(plan))
      while (!state.done) state = await run.collect(plan, state, () => 1e9);
    // A new version lands and is derived after the snapshot was read, before it is judged.
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.bucket,
        Key: key,
        Body: LIBRARY_ARTICLE.replace('Ashcombe', 'Newcombe'),
      }),
    );
    await stack.waitForIdle();
    const parts = run.partsOf(plan);
    for (const part of [...parts.counts, ...parts.articles]) await run.judge(plan, part);
    const report = await run.report(plan);
    expect(counts(report.found)).toEqual({});
    expect(report.changedDuringRun).toBeGreaterThan(0);
    expect(await get(`/articles/${id}`)).toContain('Newcombe');
    expect(counts((await wholeTable().check()).summary)).toEqual({});
  });

  it('sweeps a body only after a consistent look at its record: one pointed at again during the run stays', async () => {
    const key = 'desk/long.txt';
    const first = longArticle(150_000);
    const put = (body: string) =>
      s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
    await put(first);
    await stack.waitForIdle();
    const record = { pk: `ART#${articleIdForKey(key)}`, sk: 'RECORD' };
    const firstBody = (await doc.send(new GetCommand({ TableName: stack.tableName, Key: record }))).Item
      ?.bodyKey;
    expect(firstBody).toEqual(expect.stringMatching(/^bodies\//));
    // Overwritten: the first body is left for the sweep.
    await put(longArticle(160_000));
    await stack.waitForIdle();
    const run = runner();
    const plan = await run.plan(input({ repair: true, bodyMinAgeMs: 0 }));
    for (let state of run.sourcesOf(plan))
      while (!state.done) state = await run.collect(plan, state, () => 1e9);
    // The first text comes back after the snapshot was read: its record points at the first body again.
    await put(first);
    await stack.waitForIdle();
    const parts = run.partsOf(plan);
    for (const part of [...parts.counts, ...parts.articles]) await run.judge(plan, part);
    const report = await run.report(plan);
    expect(report.found['body-orphan'].count).toBe(0);
    expect((await doc.send(new GetCommand({ TableName: stack.tableName, Key: record }))).Item?.bodyKey).toBe(
      firstBody,
    );
    expect(await bodies(firstBody)).not.toBeNull();
    expect(await get(`/articles/${articleIdForKey(key)}`)).toContain('"id"');
    // Once nothing points at the second body, it is found and swept.
    const again = await runner().runAll(input({ repair: true, bodyMinAgeMs: 0 }));
    expect(again.found['body-orphan'].count).toBe(1);
    expect(again.left).toBe(0);
  });

  it('recounts a counter only if it stood still: one the count consumer moves meanwhile is left for the next run', async () => {
    const items = (await doc.send(new ScanCommand({ TableName: stack.tableName }))).Items ?? [];
    const counter = items.find((i) => String(i.pk).startsWith('ENTCAT#') && Number(i.articleCount) > 0);
    const key = { pk: counter?.pk, sk: counter?.sk };
    const setCount = (n: number) =>
      doc.send(
        new UpdateCommand({
          TableName: stack.tableName,
          Key: key,
          UpdateExpression: 'SET articleCount = :n',
          ExpressionAttributeValues: { ':n': n },
        }),
      );
    await setCount(40);
    // The "consumer" applies a record during the settle: the counter moves, so the recount must not happen.
    const moving = runner({
      countSettleMs: 5,
      sleep: async (ms) => {
        if (ms === 5) await setCount(41);
      },
    });
    const report = await moving.runAll(input({ repair: true }));
    expect(report.found['count-differs'].count).toBe(0);
    expect(report.changedDuringRun).toBeGreaterThan(0);
    const after = await doc.send(
      new GetCommand({ TableName: stack.tableName, Key: key, ConsistentRead: true }),
    );
    expect(after.Item?.articleCount).toBe(41);
    // Standing still, it is recounted.
    const still = await runner({ countSettleMs: 5, sleep: async () => {} }).runAll(input({ repair: true }));
    expect(still.found['count-differs'].count).toBe(1);
    expect(still.left).toBe(0);
    const mended = await doc.send(
      new GetCommand({ TableName: stack.tableName, Key: key, ConsistentRead: true }),
    );
    expect(mended.Item?.articleCount).toBe(counter?.articleCount);
  });
});

describe('the verify state machine, run against the step handler', () => {
  it('plans, collects (resuming each source), judges counts then articles, and reports clean', async () => {
    const { output, calls } = await execute({});
    expect(output).toMatchObject({ clean: true, found: 0, left: 0 });
    expect(calls[0]).toBe('plan');
    expect(calls.at(-1)).toBe('report');
    const firstJudge = calls.indexOf('judge');
    expect(calls.lastIndexOf('collect')).toBeLessThan(firstJudge);
    const report = await s3.send(new GetObjectCommand({ Bucket: REPORTS, Key: output.report }));
    const body = JSON.parse((await report.Body?.transformToString()) ?? '{}');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: stack.bucket }));
    expect(body.read.objects).toBe(listed.KeyCount);
  });

  it('reports damage without mending it when not asked, mends it with {"repair": true}, and is clean after', async () => {
    const items = (await doc.send(new ScanCommand({ TableName: stack.tableName }))).Items ?? [];
    const derived = items.filter((i) => /^(DATE|ENT|ALIAS|TERM)#/.test(String(i.pk)));
    for (const item of derived.filter((_, i) => i % 7 === 0))
      await doc.send(new DeleteCommand({ TableName: stack.tableName, Key: { pk: item.pk, sk: item.sk } }));
    const copied = derived[1];
    await doc.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: { ...copied, sk: `${String(copied?.sk)}z`, id: 'dddddddddddddddd' },
      }),
    );
    const counter = items.find((i) => String(i.pk).startsWith('ENTCAT#'));
    await doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { pk: counter?.pk, sk: counter?.sk },
        UpdateExpression: 'SET articleCount = :n',
        ExpressionAttributeValues: { ':n': 7 },
      }),
    );
    await stack.waitForIdle();

    const reported = await execute({ repair: false });
    expect(reported.output.clean).toBe(false);
    expect(reported.output.left).toBe(reported.output.found);
    expect((await execute({})).output.found).toBe(reported.output.found);

    const mended = await execute({ repair: true });
    expect(mended.output).toMatchObject({ clean: true, left: 0, found: reported.output.found });
    await stack.waitForIdle();
    expect((await execute({})).output).toMatchObject({ clean: true, found: 0 });
  });

  it('fails a step given a malformed input with one line naming the problem', async () => {
    const step = makeVerifyStep({} as never, { readSharePercent: 10 });
    await expect(
      step({ action: 'judge', plan: { run: 'x' }, part: { kind: 'everything' } }, () => 0),
    ).rejects.toThrow(/^not a verify step: part\.kind: /);
  });
});
