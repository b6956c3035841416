import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ARTICLE_BYTES, PARSER_VERSION } from '../../functions/core/article';
import { normaliseArticle } from '../../functions/core/normalise';
import { makeS3BodyStore } from '../../functions/store/article-body';
import { makeVerifyRun } from '../../functions/verify/run';
import { makeVerifyStep } from '../../functions/verify/step';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { HARBOUR_ARTICLE, LIBRARY_ARTICLE } from '../e2e/articles';
import { logicalId, synthesize } from '../infra/synth';
import { quietObservability } from '../support/quiet-observability';
import { definitionOf, runDefinition } from '../support/state-machine';

/**
 * The synthesized verify state machine, run by a small interpreter of its JSONata definition against the real step
 * handler on DynamoDB Local and s3rver: the wiring (each step's payload, the plan variable seen inside the Maps,
 * the collect loop, counts before articles, the report) does what the step functions were tested to do.
 */
const SEEDS = resolve(import.meta.dirname, '../../seeds');
const REPORTS = 'machine-reports';
const { stack: cdkStack, template } = synthesize({ verifySchedule: 'rate(1 day)' });
const definition = definitionOf(template, logicalId(cdkStack.verify.stateMachine));

let dataDir: string;
let stack: LocalStack;
let s3: S3Client;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let executions = 0;

/** One execution as Step Functions would run it; collectors get two seconds of "Lambda time", so they resume. */
const execute = async (input: unknown) => {
  const step = makeVerifyStep(
    makeVerifyRun({
      client,
      tableName: stack.tableName,
      s3,
      bucket: stack.bucket,
      bodyBucket: `${stack.bucket}-bodies`,
      reportBucket: REPORTS,
      bodies: makeS3BodyStore({ client: s3, bucket: `${stack.bucket}-bodies` }),
      normalise: normaliseArticle,
      maxObjectBytes: MAX_ARTICLE_BYTES,
      parserVersion: PARSER_VERSION,
      observability: quietObservability(),
      // Judged as if an hour had passed: nothing the test wrote is still in flight.
      now: () => Date.now() + 3_600_000,
      countSettleMs: 0,
    }),
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
  dataDir = mkdtempSync(join(tmpdir(), 'verify-machine-'));
  stack = await startLocalStack({ dataDir, seedsDir: SEEDS });
  s3 = makeLocalS3Client(stack.s3Endpoint);
  client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint });
  doc = DynamoDBDocumentClient.from(client);
  await s3.send(new CreateBucketCommand({ Bucket: REPORTS }));
  for (const [key, text] of Object.entries({
    'm/harbour.txt': HARBOUR_ARTICLE,
    'm/library.txt': LIBRARY_ARTICLE,
  }))
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: text }));
  await stack.waitForIdle();
}, 120_000);
afterAll(async () => {
  s3?.destroy();
  client?.destroy();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
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
    expect(body.read.objects).toBe(2 + readdirSync(SEEDS).length);
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
