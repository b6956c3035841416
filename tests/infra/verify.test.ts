import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { VERIFY_TABLE_ACTIONS, VERIFY_TUNING } from '../../infra/constructs/verify';
import { SettingsError, scheduleProblem } from '../../infra/settings';
import { VERIFY_OUTPUT, VERIFY_REPORTS_OUTPUT } from '../../infra/stack-outputs';
import { definitionOf } from '../support/state-machine';
import { allowedActions, logicalId, synthesize } from './synth';

const plain = synthesize();
const scheduled = synthesize({ verifySchedule: 'rate(1 day)' });
const machineId = logicalId(plain.stack.verify.stateMachine);

describe('the verify state machine', () => {
  it('is in every stack (on demand), with its ARN and reports bucket as outputs', () => {
    for (const { template } of [plain, scheduled]) {
      expect(Object.keys(template.findResources('AWS::StepFunctions::StateMachine'))).toContain(machineId);
      template.hasOutput(VERIFY_OUTPUT, { Value: { Ref: machineId } });
      template.hasOutput(VERIFY_REPORTS_OUTPUT, { Value: { Ref: logicalId(plain.stack.verify.reports) } });
    }
  });

  it('plans, collects, judges counts, then articles, then reports', () => {
    const definition = definitionOf(plain.template, machineId);
    const order: string[] = [];
    for (let name: string | undefined = definition.StartAt; name; name = definition.States[name]?.Next)
      order.push(name);
    expect(order).toEqual(['Plan', 'Collect', 'JudgeCounts', 'JudgeArticles', 'Report']);
    for (const map of ['Collect', 'JudgeCounts', 'JudgeArticles'])
      expect(definition.States[map]).toMatchObject({
        Type: 'Map',
        MaxConcurrency: VERIFY_TUNING.concurrency,
      });
  });

  it('gives the verify function what the run needs and no more', () => {
    const actions = allowedActions(plain.template, plain.stack.verify.function.role);
    expect(actions).toEqual(expect.arrayContaining([...VERIFY_TABLE_ACTIONS, 's3:ListBucketVersions']));
    expect(actions).not.toContain('dynamodb:BatchWriteItem');
    expect(actions).not.toContain('s3:PutObject*');
  });

  it('keeps run files a week and reports over a year', () => {
    plain.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'verify/runs/', ExpirationInDays: VERIFY_TUNING.runFilesDays }),
          Match.objectLike({ Prefix: 'verify/reports/', ExpirationInDays: VERIFY_TUNING.reportDays }),
        ]),
      },
    });
  });
});

describe('-c verifySchedule', () => {
  it('adds a schedule that starts the state machine, repairing by default', () => {
    const schedules = Object.values(scheduled.template.findResources('AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(1);
    expect(schedules[0]?.Properties).toMatchObject({
      ScheduleExpression: 'rate(1 day)',
      State: 'ENABLED',
      Target: { Arn: { Ref: machineId }, Input: JSON.stringify({ repair: true }) },
    });
  });

  it('adds none without the setting', () => {
    expect(plain.template.findResources('AWS::Scheduler::Schedule')).toEqual({});
  });

  it('runs report-only with verifyRepair=false', () => {
    const { template } = synthesize({ verifySchedule: 'cron(0 3 * * ? *)', verifyRepair: 'false' });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      Target: Match.objectLike({ Input: JSON.stringify({ repair: false }) }),
    });
  });

  it.each([
    'every day',
    'rate(1 days)',
    'rate(2 day)',
    'rate(0 days)',
    'cron(0 3 * * *)',
    'cron(0 3 * * 1 *)',
    'at(tomorrow)',
  ])('refuses %s at synth, naming the setting', (expression) => {
    expect(() => synthesize({ verifySchedule: expression })).toThrow(SettingsError);
    expect(() => synthesize({ verifySchedule: expression })).toThrow(/verifySchedule: /);
  });

  it.each([
    'rate(1 day)',
    'rate(12 hours)',
    'rate(5 minutes)',
    'cron(0 3 * * ? *)',
    'cron(15 2 ? * MON-FRI *)',
    'at(2027-01-01T03:00:00)',
  ])('accepts %s', (expression) => expect(scheduleProblem(expression)).toBeNull());

  it('refuses a read share over half the table', () => {
    expect(() => synthesize({ verifyReadSharePercent: '80' })).toThrow(
      /verifyReadSharePercent: must be between 1 and 50/,
    );
  });
});

describe('cdk synth with a bad -c verifySchedule', () => {
  it('stops with one line naming the setting, no stack trace', () => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ verifySchedule: 'every day' }),
        CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'synth-')),
      },
      encoding: 'utf8',
    });
    expect(out.status).toBe(1);
    expect(out.stderr.trim().split('\n')).toEqual([
      'Invalid CDK context: verifySchedule: not an EventBridge Scheduler expression: expected rate(1 day), cron(0 3 * * ? *) or at(2027-01-01T03:00:00) (got "every day")',
    ]);
  }, 60_000);
});
