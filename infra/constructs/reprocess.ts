import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/**
 * Tuning of the bucket-wide reprocess, in one place so the README, the tests and the stack agree.
 * - batchSize 10: SendMessageBatch's limit; one child execution sends one batch of listed keys.
 * - maxConcurrency 5: batches in flight at once. The ingest function, not this, sets the pace (its own cap of 5
 *   invocations); faster sending only lengthens the queue, and real uploads wait behind it.
 * - sendAttempts 3: a batch whose entries SQS refused is re-sent (the refused entries only) this many times in
 *   all; whatever still fails fails the batch, and the Map counts its items failed.
 * - toleratedFailurePercentage 5: a few failed batches do not throw away a run over millions of objects; a
 *   systemic failure (the queue gone, a denied permission) still stops the run early.
 * - timeout: a run over a few million objects at this pace takes hours, not days.
 */
export const REPROCESS_TUNING = {
  batchSize: 10,
  maxConcurrency: 5,
  sendAttempts: 3,
  toleratedFailurePercentage: 5,
  timeout: Duration.hours(24),
} as const;

export interface ReprocessProps {
  readonly bucket: s3.IBucket;
  /** The ingest queue: reprocess messages take the same handler, concurrency cap, retries and DLQ as uploads. */
  readonly queue: sqs.IQueue;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * JSONata of the batch task. Each listed object becomes one reprocess message (the schema the ingest handler
 * validates: functions/ingest/event.ts); the execution's name travels with it so logs tie a message to its run.
 * Exported so the tests evaluate the very expressions the state machine runs.
 */
export const REPROCESS_EXPRESSIONS = {
  /** The execution input's optional prefix (ListObjectsV2 takes '' as "everything"). */
  prefix: '{% $exists($states.input.prefix) ? $states.input.prefix : "" %}',
  /** One SendMessageBatch entry per listed object of the batch ({ Items, BatchInput }). */
  entries:
    '{% $map($states.input.Items, function($item, $i) { { "Id": $string($i), "MessageBody": $string({ "reprocess": { "bucket": $states.input.BatchInput.bucket, "key": $item.Key, "eTag": $item.Etag, "size": $item.Size, "run": $states.input.BatchInput.run } }) } }) %}',
  /** The entries SQS refused, kept for the next attempt (always an array: JSONata unwraps single results). */
  refused: '{% [$filter($entries, function($e) { $e.Id in $states.result.Failed.Id })] %}',
} as const;

/**
 * `npm run reprocess -- --stack <name>` on AWS: a Step Functions Distributed Map reads the upload bucket's listing
 * (S3 ListObjectsV2, optionally under a prefix) and sends the keys, ten per SendMessageBatch, to the ingest queue
 * as reprocess messages. The ingest handler decides per key whether anything needs re-storing. The role may list
 * the bucket and send to the queue; Step Functions' own needs (child executions of the Map, log delivery, X-Ray)
 * are all it has besides.
 */
export class Reprocess extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ReprocessProps) {
    super(scope, id);
    const { bucket, queue } = props;

    const prepare = sfn.Pass.jsonata(this, 'PrepareBatch', {
      assign: { entries: REPROCESS_EXPRESSIONS.entries, attempt: 0 },
    });
    const send = tasks.CallAwsService.jsonata(this, 'SendBatch', {
      service: 'sqs',
      action: 'sendMessageBatch',
      // SendMessageBatch is authorised as sqs:SendMessage.
      iamAction: 'sqs:SendMessage',
      iamResources: [queue.queueArn],
      parameters: { QueueUrl: queue.queueUrl, Entries: '{% $entries %}' },
      assign: { entries: REPROCESS_EXPRESSIONS.refused, attempt: '{% $attempt + 1 %}' },
    });
    // Throttling and service errors: the whole call is retried; SQS never applies a failed call in part.
    send.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2 });
    const pause = sfn.Wait.jsonata(this, 'BackOff', { time: sfn.WaitTime.duration(Duration.seconds(1)) });
    const notSent = sfn.Fail.jsonata(this, 'MessagesNotSent', {
      error: 'Reprocess.MessagesNotSent',
      cause: `SQS refused some of the batch's messages ${REPROCESS_TUNING.sendAttempts} times`,
    });
    // Each child's output is kept in the Map's result (no ResultWriter: the role may not write anywhere), so it
    // is the smallest JSON there is.
    const sent = sfn.Succeed.jsonata(this, 'BatchSent', { outputs: {} });
    const check = sfn.Choice.jsonata(this, 'AllSent')
      .when(sfn.Condition.jsonata('{% $count($entries) = 0 %}'), sent)
      .when(sfn.Condition.jsonata(`{% $attempt < ${REPROCESS_TUNING.sendAttempts} %}`), pause.next(send))
      .otherwise(notSent);

    const map = sfn.DistributedMap.jsonata(this, 'ListedObjects', {
      itemReader: new sfn.S3ObjectsItemReader({ bucket, prefix: REPROCESS_EXPRESSIONS.prefix }),
      itemBatcher: new sfn.ItemBatcher({
        maxItemsPerBatch: REPROCESS_TUNING.batchSize,
        batchInput: { bucket: bucket.bucketName, run: '{% $states.context.Execution.Name %}' },
      }),
      maxConcurrency: REPROCESS_TUNING.maxConcurrency,
      toleratedFailurePercentage: REPROCESS_TUNING.toleratedFailurePercentage,
      mapExecutionType: sfn.StateMachineType.EXPRESS,
      label: 'Reprocess',
    });
    map.itemProcessor(prepare.next(send).next(check));

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Sends every listed object of the upload bucket to the ingest queue as a reprocess message',
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(map),
      timeout: REPROCESS_TUNING.timeout,
      tracingEnabled: true,
      // Execution data stays out of the log: it is object keys and listing pages, not needed to follow a run.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    this.acknowledgeStepFunctionsGrants();
  }

  /** The wildcards are Step Functions' own requirements; the grants on our resources are exact. */
  private acknowledgeStepFunctionsGrants(): void {
    const machine = this.stateMachine.node.defaultChild;
    if (!(machine instanceof sfn.CfnStateMachine))
      throw new Error('the state machine has no CfnStateMachine');
    const id = Stack.of(this).resolve(machine.logicalId);
    const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${id}"}]}]}`;
    Validations.of(this.stateMachine).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Log delivery to CloudWatch Logs (logs:*LogDelivery, DescribeLogGroups...) and X-Ray segment upload only accept Resource "*", as AWS documents for Step Functions logging and tracing; no data is reachable through them.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${executions}:*]`,
        reason:
          "The Distributed Map starts, describes and stops its own child executions, whose names Step Functions generates; the grant is limited to this state machine's executions.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::${executions}/Reprocess:*]`,
        reason:
          "Redriving the Distributed Map's Map Runs (label Reprocess), which Step Functions names at run time; the grant is limited to this state machine's Map Runs.",
      },
    );
  }
}
