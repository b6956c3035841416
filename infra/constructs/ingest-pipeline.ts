import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { IngestConfig } from '../../functions/shared/config';
import { BODY_PREFIX } from '../../functions/store/body-keys';
import { logicalIdOf, PipelineFunction } from './pipeline-function';

/**
 * What the ingest does to the table, and nothing more: one GetItem says whether an event is already applied, and
 * one conditional PutItem writes the key's record (functions/store/record-writer.ts). No Query, no Update or
 * Delete, no batch, no transaction (grantReadWriteData would give all of those).
 */
export const INGEST_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem'] as const;

/**
 * Tuning of the S3 -> SQS -> Lambda leg, in one place so the README, the tests and the stack agree.
 * - timeout: the core handles an article of up to 1 MiB in a few seconds; a full batch of large ones fits.
 * - visibility: 6x the timeout (AWS guidance for SQS event sources), so a message is not redelivered while a
 *   slow invocation, including the event source's own retries of a throttled invoke, still holds it.
 * - maxReceiveCount 5: a transient failure (throttled table, vanished object race) gets four more tries, each
 *   after the visibility timeout; the fifth failure moves the message to the DLQ and raises the alarm.
 * - maxConcurrency 5 and batchSize 10 by default: a bulk load raises them (`-c ingestMaxConcurrency`,
 *   `-c ingestBatchSize`, see the README and the bench's capacity model for what the table then takes).
 */
export const INGEST_TUNING = {
  timeout: Duration.seconds(60),
  memorySize: 1024,
  visibilityTimeoutFactor: 6,
  maxReceiveCount: 5,
  batchSize: 10,
  maxBatchingWindow: Duration.seconds(2),
  maxConcurrency: 5,
  // Both explicit (cfn-lint I3013). A notification normally leaves the queue in seconds and a failing one moves
  // to the DLQ within maxReceiveCount x visibility (30 min); 4 days (SQS's default, stated) keeps messages through
  // an outage of the function over a long weekend, and the QueueAge alarm fires long before.
  queueRetention: Duration.days(4),
  dlqRetention: Duration.days(14),
} as const;

export interface IngestPipelineProps {
  readonly bucket: s3.Bucket;
  /** Where bodies too large for their item go: the ingest puts and deletes objects there, nothing else. */
  readonly bodies: s3.IBucket;
  readonly table: dynamodb.ITable;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** Records per invocation (default INGEST_TUNING.batchSize). */
  readonly batchSize?: number;
  /** Concurrent invocations the queue may drive (default INGEST_TUNING.maxConcurrency). */
  readonly maxConcurrency?: number;
  /** Throwaway stack: the DLQ (otherwise retained with the messages it holds) goes with the stack. */
  readonly destroyable: boolean;
}

/**
 * S3 notifications (ObjectCreated, delete markers, version deletes) -> encrypted queue with a DLQ -> ingest function. The
 * function reads the bucket and writes the table; nothing else.
 */
export class IngestPipeline extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly ingest: PipelineFunction;

  constructor(scope: Construct, id: string, props: IngestPipelineProps) {
    super(scope, id);
    const { bucket, table } = props;

    // SQS-managed keys (SSE-SQS): S3 can publish to them without a KMS key policy, unlike the aws/sqs key.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: INGEST_TUNING.dlqRetention,
      // The failed notifications are the only record of what still needs a redrive; keep them past the stack.
      removalPolicy: props.destroyable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is the dead-letter queue of the ingest queue; it is drained by hand after the alarm.',
    });

    const environment = {
      TABLE_NAME: table.tableName,
      BODY_BUCKET: props.bodies.bucketName,
    } satisfies Record<keyof IngestConfig, string>;
    this.ingest = new PipelineFunction(this, 'Ingest', {
      entry: 'functions/ingest/handler.ts',
      serviceName: 'ingest',
      description: 'Turns uploaded articles into records (SQS-wrapped S3 notifications)',
      memorySize: INGEST_TUNING.memorySize,
      timeout: INGEST_TUNING.timeout,
      environment,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    });

    this.queue = new sqs.Queue(this, 'Notifications', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(
        INGEST_TUNING.timeout.toSeconds() * INGEST_TUNING.visibilityTimeoutFactor,
      ),
      retentionPeriod: INGEST_TUNING.queueRetention,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: INGEST_TUNING.maxReceiveCount },
    });

    // S3 publishes only for this bucket in this account: the confused-deputy guard AWS documents for
    // service principals (CDK's SqsDestination binds the source ARN but not the account).
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowUploadBucketNotifications',
        principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': bucket.bucketArn },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    // S3 checks it can publish when the configuration is set, so the notifications wait for the queue policy (the
    // queue itself is already a dependency through its ARN; naming it again is what cfn-lint W3005 flags).
    // addToResourcePolicy (above) made it, as the queue's child 'Policy'.
    const queuePolicy = this.queue.node.findChild('Policy');
    const destination: s3.IBucketNotificationDestination = {
      bind: () => ({
        arn: this.queue.queueArn,
        type: s3.BucketNotificationDestinationType.QUEUE,
        dependencies: [queuePolicy],
      }),
    };
    // The bucket is versioned. Any ObjectCreated (put, copy, a restore by copying an old version) makes a new
    // current version: ingest it. DeleteMarkerCreated is a plain delete: the key is gone. ObjectRemoved:Delete is
    // the permanent delete of one version: if it was the current version or a delete marker, an older version
    // may be current again (a restore); if it was an old version, nothing changed. The handler reads the key's
    // current state for it (functions/ingest/event.ts), so it re-ingests a restored key and never removes an
    // article whose key still exists.
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, destination);
    bucket.addEventNotification(s3.EventType.OBJECT_REMOVED_DELETE_MARKER_CREATED, destination);
    bucket.addEventNotification(s3.EventType.OBJECT_REMOVED_DELETE, destination);

    this.ingest.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? INGEST_TUNING.batchSize,
        maxBatchingWindow: INGEST_TUNING.maxBatchingWindow,
        maxConcurrency: props.maxConcurrency ?? INGEST_TUNING.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    Validations.of(this.ingest.function).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'SQS event source mappings do not support on-failure destinations; failed messages reach the DLQ through the queue redrive policy (maxReceiveCount 5), which is alarmed.',
    });

    // Read the uploads: the handler reads an object's current content (never a version), and ListBucket makes S3
    // answer 404 NoSuchKey rather than 403 for an object deleted before it was processed, which the handler
    // records as deleted instead of retrying into the DLQ.
    this.ingest.role.addToPolicy(
      new iam.PolicyStatement({
        // GetObjectVersion: an ObjectCreated event is read by its versionId (functions/ingest/fetch-object.ts).
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    this.ingest.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
    Validations.of(this.ingest.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/*]`,
      reason:
        'The ingest function must read whichever object a notification names, and uploads have arbitrary keys; the grant is read-only and limited to this one bucket.',
    });
    this.ingest.role.addToPolicy(
      new iam.PolicyStatement({ actions: [...INGEST_TABLE_ACTIONS], resources: [table.tableArn] }),
    );

    // Bodies too large for their record: put before the record, named by their content, never deleted here.
    this.ingest.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [props.bodies.arnForObjects(`${BODY_PREFIX}*`)],
      }),
    );
    Validations.of(this.ingest.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(props.bodies)}.Arn>/${BODY_PREFIX}*]`,
      reason:
        "Body objects are named after the article id and their content (functions/store/record.ts), unknown until an upload arrives; the grant is limited to the body prefix of the stack's own body bucket.",
    });
  }
}
