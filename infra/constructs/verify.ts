import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { VerifyConfig } from '../../functions/shared/config';
import { BODY_PREFIX } from '../../functions/store/body-keys';
import { VERIFY_SIZING } from '../../functions/verify/run';
import { logicalIdOf, PipelineFunction } from './pipeline-function';

/**
 * Tuning of the AWS verify, in one place so the docs, the tests and the stack agree.
 * - One function does every step; a step is at most one Lambda invocation (15 minutes); a Scan segment or a bucket
 *   listing that takes longer is resumed by the state machine from where the last invocation stopped.
 * - 2,048 MB: a judged partition (VERIFY_SIZING.partitionBytes of table data) with its articles decoded fits with
 *   room to spare, and the CPU that comes with it parses a partition in seconds.
 * - Steps are retried on any error (every step is idempotent: a collector rewrites its own files, a judge's repairs
 *   are conditional); a step that still fails fails the run, and the VerifyFailed alarm says so.
 * - Run files (the partitioned snapshot) expire after runFilesDays; reports stay reportDays.
 */
export const VERIFY_TUNING = {
  memorySize: 2_048,
  timeout: Duration.minutes(15),
  concurrency: VERIFY_SIZING.concurrency,
  stepAttempts: 3,
  runTimeout: Duration.hours(24),
  runFilesDays: 7,
  reportDays: 400,
} as const;

/** What the verify function may do to the table: read it all, and mend through the store's conditional writes. */
export const VERIFY_TABLE_ACTIONS = [
  'dynamodb:DescribeTable',
  'dynamodb:Scan',
  'dynamodb:Query',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
] as const;

export interface VerifyProps {
  readonly table: dynamodb.ITable;
  readonly bucket: s3.IBucket;
  readonly bodies: s3.IBucket;
  /** An EventBridge Scheduler expression (validated in ../settings.ts); no schedule when absent. */
  readonly schedule?: string | undefined;
  /** Whether a scheduled run mends what it finds. */
  readonly scheduledRepair: boolean;
  /** Percent of the table's read capacity a run may use. */
  readonly readSharePercent: number;
  readonly destroyable: boolean;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * `npm run verify -- --stack <name>` on AWS (functions/verify/run.ts): plan, collect (each Scan segment and both
 * bucket listings, resumed until read), judge counts then articles by partition, report. The report lands as JSON in
 * the reports bucket (verify/reports/<execution>.json) and as metrics: VerifyDriftFound (what the VerifyDrift alarm
 * watches: every kind but bodies nothing points at, which overwrites leave by design), VerifyDriftLeft,
 * VerifyBodiesSwept, VerifyChangedSince, VerifyReadUnits. With a schedule, EventBridge Scheduler starts it; a start
 * it could not make lands in the schedule's dead-letter queue (the VerifyNotStarted alarm).
 */
export class Verify extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly function: PipelineFunction;
  readonly reports: s3.Bucket;
  readonly schedule?: scheduler.Schedule;
  /** Starts the schedule could not make (no schedule, no queue). */
  readonly scheduleDeadLetters?: sqs.Queue;

  constructor(scope: Construct, id: string, props: VerifyProps) {
    super(scope, id);
    const { table, bucket, bodies } = props;

    this.reports = new s3.Bucket(this, 'Reports', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.logRemovalPolicy,
      autoDeleteObjects: props.destroyable,
      lifecycleRules: [
        {
          id: 'expire-run-files',
          prefix: 'verify/runs/',
          expiration: Duration.days(VERIFY_TUNING.runFilesDays),
        },
        {
          id: 'expire-reports',
          prefix: 'verify/reports/',
          expiration: Duration.days(VERIFY_TUNING.reportDays),
        },
      ],
    });
    Validations.of(this.reports).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the verify function writes here (its run files and reports); access logs would need a further bucket and add nothing an operator acts on.',
    });

    this.function = new PipelineFunction(this, 'Function', {
      entry: 'functions/verify/handler.ts',
      serviceName: 'verify',
      description: 'Verify: plans, collects, judges and reports (the verify state machine steps)',
      memorySize: VERIFY_TUNING.memorySize,
      timeout: VERIFY_TUNING.timeout,
      environment: {
        TABLE_NAME: table.tableName,
        BUCKET_NAME: bucket.bucketName,
        BODY_BUCKET: bodies.bucketName,
        REPORT_BUCKET: this.reports.bucketName,
        READ_SHARE_PERCENT: String(props.readSharePercent),
      } satisfies Record<keyof VerifyConfig, string>,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    });
    const role = this.function.role;
    role.addToPolicy(
      new iam.PolicyStatement({ actions: [...VERIFY_TABLE_ACTIONS], resources: [table.tableArn] }),
    );
    // The upload bucket: listed, and read to re-ingest (by version when versioned).
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    // The body bucket: listed by version, read, written (the body of a re-ingested article too large for its item),
    // and swept (the exact version examined).
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [bodies.bucketArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [bodies.arnForObjects('*')],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.reports.bucketArn] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.reports.arnForObjects('verify/*')],
      }),
    );
    Validations.of(role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/*]`,
        reason:
          'The verifier compares every upload with its record and re-ingests any key; uploads have user-chosen names, so the read-only grant covers the bucket.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bodies)}.Arn>/*]`,
        reason: `The verifier reads bodies (${BODY_PREFIX}*) and sweeps objects no record points at, whatever their name: an object outside the body prefix is itself drift.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.reports)}.Arn>/verify/*]`,
        reason:
          "The verify run's own files (its partitioned snapshot and results) and its reports, all under verify/ in the stack's reports bucket.",
      },
    );

    this.stateMachine = this.buildStateMachine(props);
    if (props.schedule) {
      this.scheduleDeadLetters = new sqs.Queue(this, 'ScheduleDeadLetters', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(this.scheduleDeadLetters).acknowledge(
        {
          id: 'AwsSolutions-SQS3',
          reason:
            "The schedule's dead-letter queue itself: a start that could not be made, alarmed (VerifyNotStarted).",
        },
        {
          id: 'Serverless-SQSRedrivePolicy',
          reason: "The schedule's dead-letter queue itself: read by hand after the VerifyNotStarted alarm.",
        },
      );
      this.schedule = this.buildSchedule(props.schedule, props.scheduledRepair, this.scheduleDeadLetters);
    }
  }

  private invoke(
    id: string,
    payload: Record<string, unknown>,
    extra: Partial<tasks.LambdaInvokeJsonataProps> = {},
  ) {
    const task = tasks.LambdaInvoke.jsonata(this, id, {
      lambdaFunction: this.function.function,
      payload: sfn.TaskInput.fromObject(payload),
      outputs: '{% $states.result.Payload %}',
      ...extra,
    });
    task.addRetry({
      errors: ['States.ALL'],
      interval: Duration.seconds(5),
      maxAttempts: VERIFY_TUNING.stepAttempts - 1,
      backoffRate: 3,
    });
    return task;
  }

  private buildStateMachine(props: VerifyProps): sfn.StateMachine {
    const plan = this.invoke(
      'Plan',
      {
        action: 'plan',
        run: '{% $states.context.Execution.Name %}',
        repair: '{% $exists($states.input.repair) ? $states.input.repair = true : false %}',
      },
      { assign: { plan: '{% $states.result.Payload.plan %}' } },
    );
    const collectStep = this.invoke('CollectStep', {
      action: 'collect',
      plan: '{% $plan %}',
      state: '{% $states.input %}',
    });
    const read = sfn.Succeed.jsonata(this, 'SourceRead', { outputs: {} });
    const collectOne = collectStep.next(
      sfn.Choice.jsonata(this, 'SourceDone')
        .when(sfn.Condition.jsonata('{% $states.input.done %}'), read)
        .otherwise(collectStep),
    );
    const collect = sfn.Map.jsonata(this, 'Collect', {
      items: sfn.ProvideItems.jsonata('{% $states.input.sources %}'),
      maxConcurrency: VERIFY_TUNING.concurrency,
      outputs: '{% $states.input %}',
    }).itemProcessor(collectOne);
    const judgeMap = (id: string, parts: string) =>
      sfn.Map.jsonata(this, id, {
        items: sfn.ProvideItems.jsonata(`{% $states.input.${parts} %}`),
        maxConcurrency: VERIFY_TUNING.concurrency,
        outputs: '{% $states.input %}',
      }).itemProcessor(
        this.invoke(`${id}Partition`, {
          action: 'judge',
          plan: '{% $plan %}',
          part: '{% $states.input %}',
        }).next(sfn.Succeed.jsonata(this, `${id}Judged`, { outputs: {} })),
      );
    const report = this.invoke('Report', { action: 'report', plan: '{% $plan %}' });

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const machine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Verifies the table against the upload bucket and itself; mends what it finds when asked',
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(
        plan
          .next(collect)
          .next(judgeMap('JudgeCounts', 'counts'))
          .next(judgeMap('JudgeArticles', 'articles'))
          .next(report),
      ),
      timeout: VERIFY_TUNING.runTimeout,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    Validations.of(machine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Log delivery to CloudWatch Logs and X-Ray segment upload only accept Resource "*", as AWS documents for Step Functions logging and tracing.',
    });
    Validations.of(machine).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.function.function)}.Arn>:*]`,
      reason: 'CDK grants invoking any version or alias of the verify function; it has none but $LATEST.',
    });
    return machine;
  }

  private buildSchedule(expression: string, repair: boolean, deadLetters: sqs.IQueue): scheduler.Schedule {
    return new scheduler.Schedule(this, 'Schedule', {
      schedule: scheduler.ScheduleExpression.expression(expression),
      description: `Starts the verify state machine (${repair ? 'repairing' : 'reporting only'})`,
      target: new targets.StepFunctionsStartExecution(this.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({ repair }),
        deadLetterQueue: deadLetters,
        retryAttempts: 3,
      }),
    });
  }
}
