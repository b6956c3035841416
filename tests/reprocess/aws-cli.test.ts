import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executionConsoleUrl, REPROCESS_OUTPUT, runOnAws } from '../../infra/reprocess-aws';

const sfn = mockClient(SFNClient);
const cfn = mockClient(CloudFormationClient);
const machine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Reprocess';
const execution = 'arn:aws:states:eu-west-1:123456789012:execution:Reprocess:run-1';
const mapRun = `${execution}/Reprocess:abc`;

beforeEach(() => {
  sfn.reset();
  cfn.reset();
  cfn.on(DescribeStacksCommand, { StackName: 'News' }).resolves({
    Stacks: [
      {
        StackName: 'News',
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: [{ OutputKey: REPROCESS_OUTPUT, OutputValue: machine }],
      },
    ],
  });
  sfn.on(StartExecutionCommand).resolves({ executionArn: execution, startDate: new Date() });
  sfn
    .on(ListMapRunsCommand, { executionArn: execution })
    .resolves({ mapRuns: [{ mapRunArn: mapRun } as never] });
});

const run = async (prefix = '') => {
  const lines: string[] = [];
  const ok = await runOnAws(
    { stackName: 'News', prefix },
    {
      sfn: new SFNClient({}),
      cloudFormation: new CloudFormationClient({}),
      log: (l) => lines.push(l),
      sleep: async () => {},
    },
  );
  return { ok, lines };
};
const counts = (total: number, succeeded: number, failed = 0) => ({
  itemCounts: {
    total,
    succeeded,
    failed,
    pending: 0,
    running: 0,
    timedOut: 0,
    aborted: 0,
    resultsWritten: 0,
  },
});

describe('npm run reprocess -- --stack', () => {
  it('starts the state machine named by the stack output with the prefix, and reports until the run ends', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING' } as never)
      .resolvesOnce({ status: 'RUNNING' } as never)
      .resolves({ status: 'SUCCEEDED' } as never);
    sfn
      .on(DescribeMapRunCommand, { mapRunArn: mapRun })
      .resolvesOnce(counts(1000, 200) as never)
      .resolvesOnce(counts(2500, 2500) as never)
      .resolves(counts(2500, 2500) as never);
    const { ok, lines } = await run('news/');
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: machine,
      input: JSON.stringify({ prefix: 'news/' }),
    });
    expect(ok).toBe(true);
    expect(lines).toEqual([
      `Started ${execution}`,
      `Console: ${executionConsoleUrl(execution)}`,
      'listed 1000, sent 200, failed 0',
      'listed 2500, sent 2500, failed 0',
      'SUCCEEDED: listed 2500, sent 2500, failed 0',
      `Console: ${executionConsoleUrl(execution)}`,
    ]);
  });

  it('fails when items failed, even if the execution tolerated them', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' } as never);
    sfn.on(DescribeMapRunCommand).resolves(counts(100, 90, 10) as never);
    const { ok, lines } = await run();
    expect(ok).toBe(false);
    expect(lines).toContain('SUCCEEDED: listed 100, sent 90, failed 10');
  });

  it('says so when the stack has no reprocess output', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    await expect(run()).rejects.toThrow(/no ReprocessStateMachineArn output/);
  });

  it('links the execution in its own region and partition', () => {
    expect(executionConsoleUrl(execution)).toBe(
      `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${execution}`,
    );
    expect(
      executionConsoleUrl(execution.replace(':aws:', ':aws-cn:').replace('eu-west-1', 'cn-north-1')),
    ).toMatch(/^https:\/\/cn-north-1\.console\.amazonaws\.cn\//);
  });
});
