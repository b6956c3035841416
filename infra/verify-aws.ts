import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { executionConsoleUrl, ReprocessSetupError, readStackOutput } from './reprocess-aws';
import { VERIFY_OUTPUT, VERIFY_REPORTS_OUTPUT } from './stack-outputs';
import { printSummary, printTally, ReadSchema, SummarySchema, TallySchema } from './verify-print';

/**
 * `npm run verify -- --stack <name> [--repair]`: starts the stack's verify state machine (infra/constructs/verify.ts),
 * prints its console link and each phase as it starts, and, when it ends, the report it left in the reports bucket.
 * Exit 0 when clean, 1 when drift was found (with --repair: when some was left), or the run failed.
 */
export interface AwsVerifyDeps {
  sfn: SFNClient;
  cloudFormation: CloudFormationClient;
  s3: S3Client;
  log: (line: string) => void;
  sleep: (ms: number) => Promise<void>;
  pollMs: number;
}

export interface AwsVerifyOptions {
  stackName: string;
  repair: boolean;
  region?: string | undefined;
}

const ReportSchema = z.object({
  run: z.string(),
  read: ReadSchema,
  found: SummarySchema,
  mended: TallySchema.nullable(),
  changedDuringRun: z.number(),
  clean: z.boolean(),
  left: z.number(),
});
const OutputSchema = z.object({ report: z.string() });

/** What a phase of the run does, as the progress line says it. */
const PHASES: Record<string, string> = {
  Plan: 'sizing the run',
  Collect: 'reading the table (parallel Scan segments) and both buckets',
  JudgeCounts: 'judging the entity counts (and recounting, if asked)',
  JudgeArticles: 'judging the articles (and mending them, if asked)',
  Report: 'checking the months and writing the report',
};

export const verifyOnAws = async (
  options: AwsVerifyOptions,
  given: Partial<AwsVerifyDeps> = {},
): Promise<number> => {
  const region = options.region ? { region: options.region } : {};
  const deps: AwsVerifyDeps = {
    sfn: given.sfn ?? new SFNClient(region),
    cloudFormation: given.cloudFormation ?? new CloudFormationClient(region),
    s3: given.s3 ?? new S3Client(region),
    log: given.log ?? ((text) => console.log(text)),
    sleep: given.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    pollMs: given.pollMs ?? 5_000,
  };
  const stateMachineArn = await readStackOutput(deps.cloudFormation, options.stackName, VERIFY_OUTPUT);
  const reports = await readStackOutput(deps.cloudFormation, options.stackName, VERIFY_REPORTS_OUTPUT);
  const started = await deps.sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ repair: options.repair }) }),
  );
  const executionArn = started.executionArn;
  if (!executionArn) throw new ReprocessSetupError('StartExecution returned no execution ARN');
  deps.log(`Started ${executionArn}${options.repair ? ' (repairing)' : ''}`);
  deps.log(`Console: ${executionConsoleUrl(executionArn)}`);
  const t0 = Date.now();
  let phase = '';
  for (;;) {
    const execution = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const status = execution.status ?? 'RUNNING';
    if (status !== 'RUNNING') {
      if (status !== 'SUCCEEDED') {
        deps.log(`${status}${execution.error ? `: ${execution.error} ${execution.cause ?? ''}` : ''}`);
        deps.log(`Console: ${executionConsoleUrl(executionArn)}`);
        return 1;
      }
      const { report: key } = OutputSchema.parse(JSON.parse(execution.output ?? '{}'));
      const object = await deps.s3.send(new GetObjectCommand({ Bucket: reports, Key: key }));
      const report = ReportSchema.parse(JSON.parse((await object.Body?.transformToString()) ?? '{}'));
      const { read } = report;
      deps.log(
        `Read ${read.records} record(s) and ${read.items} item(s), ${read.objects} object(s), ${read.bodies} body object(s) in ${Math.round((Date.now() - t0) / 1000)} s (${read.readUnits} read units).`,
      );
      printSummary('Found', report.found, deps.log);
      if (report.mended) printTally(report.mended, deps.log);
      if (report.changedDuringRun > 0)
        deps.log(
          `${report.changedDuringRun} finding(s) changed while the run read them: left for the next run.`,
        );
      deps.log(`Report: s3://${reports}/${key}`);
      return report.clean ? 0 : 1;
    }
    const history = await deps.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 100 }),
    );
    const entered = history.events?.find(
      (e) => e.stateEnteredEventDetails?.name && PHASES[e.stateEnteredEventDetails.name],
    )?.stateEnteredEventDetails?.name;
    if (entered && entered !== phase) {
      phase = entered;
      deps.log(`${phase}: ${PHASES[phase]} (${Math.round((Date.now() - t0) / 1000)} s)`);
    }
    await deps.sleep(deps.pollMs);
  }
};
