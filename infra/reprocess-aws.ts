import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';

/**
 * `npm run reprocess -- --stack <name>`: starts the stack's reprocess state machine (infra/constructs/reprocess.ts)
 * and reports its Map Run until the execution ends. Step Functions counts what it listed and sent; what the ingest
 * handler then made of each message shows in the ingest metrics (ReprocessRestored, ReprocessUnchanged) and logs.
 */
export const REPROCESS_OUTPUT = 'ReprocessStateMachineArn';

export interface AwsReprocessDeps {
  sfn: SFNClient;
  cloudFormation: CloudFormationClient;
  log: (line: string) => void;
  sleep: (ms: number) => Promise<void>;
  pollMs: number;
}

export interface AwsReprocessOptions {
  stackName: string;
  prefix: string;
  region?: string | undefined;
}

export class ReprocessSetupError extends Error {
  override readonly name = 'ReprocessSetupError';
}

const CONSOLE_HOSTS: Record<string, string> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** The Step Functions console page of an execution (partition and region come from its ARN). */
export const executionConsoleUrl = (executionArn: string): string => {
  const [, partition = 'aws', , region = 'us-east-1'] = executionArn.split(':');
  const host = CONSOLE_HOSTS[partition] ?? CONSOLE_HOSTS.aws;
  return `https://${region}.${host}/states/home?region=${region}#/v2/executions/details/${executionArn}`;
};

/** One output of a deployed stack, or a ReprocessSetupError naming it. */
export const readStackOutput = async (
  cloudFormation: CloudFormationClient,
  stackName: string,
  key: string,
): Promise<string> => {
  const out = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const value = out.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
  if (!value) throw new ReprocessSetupError(`stack ${stackName} has no ${key} output; deploy it first`);
  return value;
};

const stateMachineOf = (deps: AwsReprocessDeps, stackName: string): Promise<string> =>
  readStackOutput(deps.cloudFormation, stackName, REPROCESS_OUTPUT);

interface Counts {
  listed: number;
  sent: number;
  failed: number;
}

const mapRunCounts = async (deps: AwsReprocessDeps, executionArn: string): Promise<Counts | null> => {
  const runs = await deps.sfn.send(new ListMapRunsCommand({ executionArn }));
  const mapRunArn = runs.mapRuns?.[0]?.mapRunArn;
  if (!mapRunArn) return null;
  const run = await deps.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
  const items = run.itemCounts;
  if (!items) return null;
  return {
    listed: items.total ?? 0,
    sent: items.succeeded ?? 0,
    failed: (items.failed ?? 0) + (items.timedOut ?? 0) + (items.aborted ?? 0),
  };
};

const line = (c: Counts | null) =>
  c ? `listed ${c.listed}, sent ${c.sent}, failed ${c.failed}` : 'listing...';

/** Returns true when the run sent every listed object. */
export const runOnAws = async (
  options: AwsReprocessOptions,
  given: Partial<AwsReprocessDeps> = {},
): Promise<boolean> => {
  const region = options.region ? { region: options.region } : {};
  const deps: AwsReprocessDeps = {
    sfn: given.sfn ?? new SFNClient(region),
    cloudFormation: given.cloudFormation ?? new CloudFormationClient(region),
    log: given.log ?? ((text) => console.log(text)),
    sleep: given.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    pollMs: given.pollMs ?? 5_000,
  };
  const stateMachineArn = await stateMachineOf(deps, options.stackName);
  const started = await deps.sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ prefix: options.prefix }) }),
  );
  const executionArn = started.executionArn;
  if (!executionArn) throw new ReprocessSetupError('StartExecution returned no execution ARN');
  deps.log(`Started ${executionArn}`);
  deps.log(`Console: ${executionConsoleUrl(executionArn)}`);
  let last = '';
  for (;;) {
    const execution = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const counts = await mapRunCounts(deps, executionArn);
    const status = execution.status ?? 'RUNNING';
    const progress = line(counts);
    if (status !== 'RUNNING') {
      deps.log(`${status}: ${progress}`);
      if (execution.error) deps.log(`${execution.error}: ${execution.cause ?? ''}`);
      deps.log(`Console: ${executionConsoleUrl(executionArn)}`);
      return status === 'SUCCEEDED' && (counts?.failed ?? 0) === 0;
    }
    if (progress !== last) deps.log(progress);
    last = progress;
    await deps.sleep(deps.pollMs);
  }
};
