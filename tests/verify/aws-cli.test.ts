import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { summarise } from '../../functions/verify/drift';
import { emptyTally } from '../../functions/verify/repairer';
import { executionConsoleUrl } from '../../infra/reprocess-aws';
import { VERIFY_OUTPUT, VERIFY_REPORTS_OUTPUT } from '../../infra/stack-outputs';
import { verifyOnAws } from '../../infra/verify-aws';

const sfn = mockClient(SFNClient);
const cfn = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const machine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Verify';
const execution = 'arn:aws:states:eu-west-1:123456789012:execution:Verify:run-1';

const report = (over: Record<string, unknown> = {}) => ({
  run: 'run-1',
  read: { items: 4700, records: 100, objects: 100, bodies: 3, readUnits: 812.5 },
  found: summarise([]),
  mended: null,
  changedDuringRun: 0,
  clean: true,
  left: 0,
  ...over,
});
/** The part of a GetObject body the command reads. */
const body = (value: unknown) => ({ transformToString: async () => JSON.stringify(value) });

beforeEach(() => {
  sfn.reset();
  cfn.reset();
  s3.reset();
  cfn.on(DescribeStacksCommand, { StackName: 'News' }).resolves({
    Stacks: [
      {
        StackName: 'News',
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: [
          { OutputKey: VERIFY_OUTPUT, OutputValue: machine },
          { OutputKey: VERIFY_REPORTS_OUTPUT, OutputValue: 'news-reports' },
        ],
      },
    ],
  });
  sfn.on(StartExecutionCommand).resolves({ executionArn: execution, startDate: new Date() });
  sfn
    .on(GetExecutionHistoryCommand)
    .resolvesOnce({
      events: [{ type: 'MapStateEntered', stateEnteredEventDetails: { name: 'Collect' } } as never],
    })
    .resolves({
      events: [{ type: 'MapStateEntered', stateEnteredEventDetails: { name: 'JudgeArticles' } } as never],
    });
});

const run = async (repair: boolean) => {
  const lines: string[] = [];
  const code = await verifyOnAws(
    { stackName: 'News', repair },
    {
      sfn: new SFNClient({}),
      cloudFormation: new CloudFormationClient({}),
      s3: new S3Client({}),
      log: (l) => lines.push(l),
      sleep: async () => {},
    },
  );
  return { code, lines };
};
const succeeded = () =>
  sfn
    .on(DescribeExecutionCommand)
    .resolvesOnce({ status: 'RUNNING' } as never)
    .resolvesOnce({ status: 'RUNNING' } as never)
    .resolves({
      status: 'SUCCEEDED',
      output: JSON.stringify({ report: 'verify/reports/run-1.json' }),
    } as never);

describe('npm run verify -- --stack', () => {
  it('starts the state machine, prints the console link and each phase, then the report, and exits 0 when clean', async () => {
    succeeded();
    s3.on(GetObjectCommand, { Bucket: 'news-reports', Key: 'verify/reports/run-1.json' }).resolves({
      Body: body(report()),
    } as never);
    const { code, lines } = await run(false);
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: machine,
      input: JSON.stringify({ repair: false }),
    });
    expect(code).toBe(0);
    expect(lines[0]).toBe(`Started ${execution}`);
    expect(lines[1]).toBe(`Console: ${executionConsoleUrl(execution)}`);
    expect(lines.some((l) => l.startsWith('Collect: reading the table'))).toBe(true);
    expect(lines.some((l) => l.startsWith('JudgeArticles: '))).toBe(true);
    expect(lines).toContain('Found: no drift');
    expect(lines.at(-1)).toBe('Report: s3://news-reports/verify/reports/run-1.json');
  });

  it('exits 1 when drift was found, with counts and examples, and what was mended when repairing', async () => {
    succeeded();
    const found = summarise([
      {
        kind: 'derived-missing',
        subject: 'abc',
        detail: '2 of 40 derived items missing',
        repair: { do: 'nudge', id: 'abc', rev: 'r' },
      },
    ]);
    const mended = { ...emptyTally(), 'derived-missing': { mended: 0, changedSince: 1 } };
    s3.on(GetObjectCommand).resolves({
      Body: body(report({ found, mended, clean: false, left: 1 })),
    } as never);
    const { code, lines } = await run(true);
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input?.input).toBe(
      JSON.stringify({ repair: true }),
    );
    expect(code).toBe(1);
    expect(lines).toContain('Found: 1 finding(s)');
    expect(lines).toContain('      e.g. abc: 2 of 40 derived items missing');
    expect(lines.some((l) => l.includes('changed since: left for the next check'))).toBe(true);
  });

  it('exits 1 naming the error when the run failed', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', error: 'States.TaskFailed', cause: 'boom' } as never);
    const { code, lines } = await run(false);
    expect(code).toBe(1);
    expect(lines).toContain('FAILED: States.TaskFailed boom');
  });

  it('says so when the stack has no verify output (deployed before verify)', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'News', Outputs: [] } as never] });
    await expect(run(false)).rejects.toThrow(/no VerifyStateMachineArn output; deploy it first/);
  });
});
