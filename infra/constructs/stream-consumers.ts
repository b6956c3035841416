import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CountConfig, DeriveConfig } from '../../functions/shared/config';
import { BODY_PREFIX } from '../../functions/store/body-keys';
import { logicalIdOf, PipelineFunction } from './pipeline-function';

/**
 * The two consumers of the table's stream, one writer per kind of item (DESIGN, pitfall 2):
 * - derive: filtered to records (`ART#<id>`/`RECORD`); writes the items each record derives and its APPLIED item.
 *   Stream records are only triggers (it reads the current record), so retries, splits and reordering are harmless:
 *   bisect on error, a failed batch retried up to retryAttempts, then sent to its failures queue (alarmed; the
 *   verifier re-derives what it missed).
 * - count: filtered to entity entries (`ENT#`); keeps the catalogue counts from INSERT and REMOVE. Whole batches
 *   retried in order (no bisect, no partial responses, parallelization 1); the counter's spans count each record
 *   once even if a batch comes again split or reordered. The tumbling window puts the shard id in the event.
 * A 5 s batching window and batches of 1,000: in a bulk load one counter update covers a window's articles.
 */
export const STREAM_TUNING = {
  timeout: Duration.seconds(60),
  memorySize: 512,
  batchSize: 1_000,
  maxBatchingWindow: Duration.seconds(5),
  tumblingWindow: Duration.seconds(60),
  retryAttempts: 1_000,
  failureRetention: Duration.days(14),
} as const;

/** Query (a record and its APPLIED item), PutItem (a month, if missing), BatchWriteItem (derived items). */
export const DERIVE_TABLE_ACTIONS = [
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:BatchWriteItem',
] as const;
/** BatchGetItem (and GetItem after a lost race) of counters' spans, and a conditional UpdateItem (ADD). */
export const COUNT_TABLE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:UpdateItem',
] as const;

export interface StreamConsumersProps {
  /** The table; it must have a stream. */
  readonly table: dynamodb.ITable;
  /** The body bucket, which the derive consumer reads bodies too large for their record from. */
  readonly bodies: s3.IBucket;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

export class StreamConsumers extends Construct {
  readonly derive: PipelineFunction;
  readonly count: PipelineFunction;
  readonly deriveFailures: sqs.Queue;
  readonly countFailures: sqs.Queue;

  constructor(scope: Construct, id: string, props: StreamConsumersProps) {
    super(scope, id);
    const { table, bodies } = props;
    if (!table.tableStreamArn) throw new Error('the stream consumers need the table stream');
    const common = {
      memorySize: STREAM_TUNING.memorySize,
      timeout: STREAM_TUNING.timeout,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    };
    this.derive = new PipelineFunction(this, 'Derive', {
      ...common,
      entry: 'functions/derive/handler.ts',
      serviceName: 'derive',
      description: 'Derives index entries, dates and search terms from each record (table stream)',
      environment: {
        TABLE_NAME: table.tableName,
        BODY_BUCKET: bodies.bucketName,
      } satisfies Record<keyof DeriveConfig, string>,
    });
    this.count = new PipelineFunction(this, 'Count', {
      ...common,
      entry: 'functions/count/handler.ts',
      serviceName: 'count',
      description: 'Keeps the entity catalogue counts from entity entries created and removed (table stream)',
      environment: { TABLE_NAME: table.tableName } satisfies Record<keyof CountConfig, string>,
    });
    this.deriveFailures = this.failuresQueue('DeriveFailures');
    this.countFailures = this.failuresQueue('CountFailures');

    const base = {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: STREAM_TUNING.batchSize,
      maxBatchingWindow: STREAM_TUNING.maxBatchingWindow,
      retryAttempts: STREAM_TUNING.retryAttempts,
      parallelizationFactor: 1,
    };
    this.derive.function.addEventSource(
      new DynamoEventSource(table, {
        ...base,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(this.deriveFailures),
        filters: [lambda.FilterCriteria.filter({ dynamodb: { Keys: { sk: { S: ['RECORD'] } } } })],
      }),
    );
    this.count.function.addEventSource(
      new DynamoEventSource(table, {
        ...base,
        bisectBatchOnError: false,
        tumblingWindow: STREAM_TUNING.tumblingWindow,
        onFailure: new SqsDlq(this.countFailures),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: ['INSERT', 'REMOVE'],
            dynamodb: { Keys: { pk: { S: [{ prefix: 'ENT#' }] } } },
          }),
        ],
      }),
    );
    this.derive.role.addToPolicy(
      new iam.PolicyStatement({ actions: [...DERIVE_TABLE_ACTIONS], resources: [table.tableArn] }),
    );
    this.derive.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bodies.arnForObjects(`${BODY_PREFIX}*`)],
      }),
    );
    Validations.of(this.derive.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bodies)}.Arn>/${BODY_PREFIX}*]`,
      reason:
        "Body objects are named after the article id and their content (functions/store/record.ts); the grant is read-only and limited to the body prefix of the stack's own body bucket.",
    });
    this.count.role.addToPolicy(
      new iam.PolicyStatement({ actions: [...COUNT_TABLE_ACTIONS], resources: [table.tableArn] }),
    );
  }

  private failuresQueue(id: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: STREAM_TUNING.failureRetention,
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the on-failure destination of a stream mapping (records only, for an operator); a DLQ of it adds nothing.',
    });
    Validations.of(queue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: 'The on-failure destination of a stream mapping; read by hand after the alarm.',
    });
    return queue;
  }
}
