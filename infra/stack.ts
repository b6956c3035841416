import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ArticleStorage } from './constructs/article-storage';
import { IngestPipeline } from './constructs/ingest-pipeline';
import { LookupApi } from './constructs/lookup-api';
import { Monitoring } from './constructs/monitoring';
import { Reprocess } from './constructs/reprocess';
import { StreamConsumers } from './constructs/stream-consumers';
import { Verify } from './constructs/verify';
import { applyStackAcknowledgements } from './nag';
import { corsOrigins, type StackSettings } from './settings';
import { VERIFY_OUTPUT, VERIFY_REPORTS_OUTPUT } from './stack-outputs';

export interface NewsPipelineStackProps extends StackProps {
  readonly settings: StackSettings;
}

/**
 * The architecture diagram, in code: upload bucket -> notifications queue -> ingest -> table (records) -> stream ->
 * derive and count consumers -> table (lists, counts) <- API.
 * The switches (destroyable, publicApi, CORS, limits) come from validated CDK context (./settings.ts).
 */
export class NewsPipelineStack extends Stack {
  readonly storage: ArticleStorage;
  readonly ingest: IngestPipeline;
  readonly stream: StreamConsumers;
  readonly api: LookupApi;
  readonly monitoring: Monitoring;
  readonly reprocess: Reprocess;
  readonly verify: Verify;

  constructor(scope: Construct, id: string, props: NewsPipelineStackProps) {
    // No AWS::CDK::Metadata resource: it only reports construct usage to AWS, which the product does not need.
    super(scope, id, { analyticsReporting: false, ...props });
    const { settings } = props;
    const logRemovalPolicy = settings.destroyable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const logs = { logRetention: settings.logRetentionDays, logRemovalPolicy };

    this.storage = new ArticleStorage(this, 'Storage', {
      destroyable: settings.destroyable,
      warmWriteUnits: settings.tableWarmWriteUnits,
      noncurrentVersionDays: settings.noncurrentVersionDays,
    });
    const { bucket, bodies, table } = this.storage;

    this.ingest = new IngestPipeline(this, 'Ingest', {
      bucket,
      bodies,
      table,
      batchSize: settings.ingestBatchSize,
      maxConcurrency: settings.ingestMaxConcurrency,
      destroyable: settings.destroyable,
      ...logs,
    });
    this.stream = new StreamConsumers(this, 'Stream', { table, bodies, ...logs });

    this.api = new LookupApi(this, 'Lookup', {
      table,
      bodies,
      publicApi: settings.publicApi,
      corsOrigins: corsOrigins(settings),
      rateLimit: settings.apiRateLimit,
      burstLimit: settings.apiBurstLimit,
      reservedConcurrency: settings.apiReservedConcurrency,
      ...logs,
    });

    this.reprocess = new Reprocess(this, 'Reprocess', { bucket, queue: this.ingest.queue, ...logs });

    this.verify = new Verify(this, 'Verify', {
      table,
      bucket,
      bodies,
      schedule: settings.verifySchedule,
      scheduledRepair: settings.verifyRepair,
      readSharePercent: settings.verifyReadSharePercent,
      destroyable: settings.destroyable,
      ...logs,
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      ingest: this.ingest.ingest.function,
      api: this.api.api.function,
      queue: this.ingest.queue,
      deadLetterQueue: this.ingest.deadLetterQueue,
      deriveFailures: this.stream.deriveFailures,
      countFailures: this.stream.countFailures,
      httpApi: this.api.httpApi,
      table,
      verify: this.verify.stateMachine,
      verifyScheduleDeadLetters: this.verify.scheduleDeadLetters,
      alarmEmail: settings.alarmEmail,
    });

    new CfnOutput(this, 'BucketName', { value: bucket.bucketName, description: 'Upload articles here' });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the lookup API' });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'Article records and indexes' });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.ingest.deadLetterQueue.queueUrl,
      description: 'Notifications that failed ingest 5 times',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Every alarm and recovery is published here: subscribe e-mail, chat or paging to it',
    });

    new CfnOutput(this, 'ReprocessStateMachineArn', {
      value: this.reprocess.stateMachine.stateMachineArn,
      description: 'Bucket-wide reprocess: npm run reprocess -- --stack <this stack>',
    });

    new CfnOutput(this, VERIFY_OUTPUT, {
      value: this.verify.stateMachine.stateMachineArn,
      description: 'Verify and repair: npm run verify -- --stack <this stack> [--repair]',
    });
    new CfnOutput(this, VERIFY_REPORTS_OUTPUT, {
      value: this.verify.reports.bucketName,
      description: 'Verify reports (verify/reports/<run>.json)',
    });

    applyStackAcknowledgements(this);
  }
}
