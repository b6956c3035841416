import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CatalogueConfig } from '../../functions/shared/config';
import { PipelineFunction } from './pipeline-function';

/**
 * Tuning of the table stream -> catalogue consumer leg.
 * - batchSize 1,000 and a 5 s batching window: one update per catalogue item per batch, so a name in 40% of a bulk
 *   load's articles costs the catalogue one write per window, not one per article (the bench's capacity model).
 * - tumblingWindow: the consumer ignores the window's state; the window is what puts the shard id in the event,
 *   which the exactly-once markers are kept by (functions/store/catalogue-writer.ts).
 * - bisectBatchOnError and up to 10,000 retries: a failing batch is retried (its redelivery is idempotent) and
 *   never skipped while the stream holds it; what still fails goes to the failures queue and raises the alarm.
 * - filters: only index entries (which the counts and the clean-up of overtaken writers read) and article items
 *   (the clean-up) invoke it; outcome and catalogue items never do.
 */
export const CATALOGUE_TUNING = {
  timeout: Duration.seconds(60),
  memorySize: 256,
  batchSize: 1_000,
  maxBatchingWindow: Duration.seconds(5),
  tumblingWindow: Duration.seconds(60),
  retryAttempts: 10_000,
  failureRetention: Duration.days(14),
} as const;

/**
 * Updates by key (conditional, with ADD); GetItem of a marker after a partial delivery and of an article's outcome;
 * DeleteItem of a leftover, conditional on its revision (functions/store/catalogue-janitor.ts). Nothing else.
 */
export const CATALOGUE_TABLE_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:GetItem',
  'dynamodb:DeleteItem',
] as const;

export interface CatalogueConsumerProps {
  /** The table; it must have a stream (NEW_IMAGE). */
  readonly table: dynamodb.ITable;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/** The table's stream -> the catalogue consumer, which keeps the entity and month counts (articleCount). */
export class CatalogueConsumer extends Construct {
  readonly consumer: PipelineFunction;
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: CatalogueConsumerProps) {
    super(scope, id);
    const { table } = props;
    if (!table.tableStreamArn) throw new Error('the catalogue consumer needs the table stream');
    const environment = { TABLE_NAME: table.tableName } satisfies Record<keyof CatalogueConfig, string>;
    this.consumer = new PipelineFunction(this, 'Consumer', {
      entry: 'functions/catalogue/handler.ts',
      serviceName: 'catalogue',
      description: 'Keeps the entity and month catalogue counts from the table stream',
      memorySize: CATALOGUE_TUNING.memorySize,
      timeout: CATALOGUE_TUNING.timeout,
      environment,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    });

    this.failures = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: CATALOGUE_TUNING.failureRetention,
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the on-failure destination of the catalogue stream mapping (records only, for an operator); a DLQ of it adds nothing.',
    });
    Validations.of(this.failures).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: 'The on-failure destination of the catalogue stream mapping; read by hand after the alarm.',
    });

    this.consumer.function.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: CATALOGUE_TUNING.batchSize,
        maxBatchingWindow: CATALOGUE_TUNING.maxBatchingWindow,
        tumblingWindow: CATALOGUE_TUNING.tumblingWindow,
        bisectBatchOnError: true,
        retryAttempts: CATALOGUE_TUNING.retryAttempts,
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.failures),
        filters: [
          lambda.FilterCriteria.filter({
            dynamodb: {
              Keys: { pk: { S: ['ENT#', 'DATE#', 'ALIAS#', 'TERM#'].map((p) => ({ prefix: p })) } },
            },
          }),
          lambda.FilterCriteria.filter({
            dynamodb: { Keys: { pk: { S: [{ prefix: 'ART#' }] }, sk: { S: ['ARTICLE'] } } },
          }),
        ],
      }),
    );
    this.consumer.role.addToPolicy(
      new iam.PolicyStatement({ actions: [...CATALOGUE_TABLE_ACTIONS], resources: [table.tableArn] }),
    );
  }
}
