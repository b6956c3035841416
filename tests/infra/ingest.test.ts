import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { INGEST_TUNING } from '../../infra/constructs/ingest-pipeline';
import { allowedActions, logicalId, statementsOfRole, synthesize } from './synth';

const { stack, template } = synthesize();
const queueId = logicalId(stack.ingest.queue);
const dlqId = logicalId(stack.ingest.deadLetterQueue);
const bucketId = logicalId(stack.storage.bucket);
const tableId = logicalId(stack.storage.table);
const bodiesId = logicalId(stack.storage.bodies);
const ingestFn = template.findResources('AWS::Lambda::Function')[logicalId(stack.ingest.ingest.function)];

describe('ingest queues', () => {
  it('encrypt both queues with SQS-managed keys (S3 cannot publish to the aws/sqs KMS key)', () => {
    for (const id of [queueId, dlqId]) {
      expect(template.findResources('AWS::SQS::Queue')[id]?.Properties.SqsManagedSseEnabled).toBe(true);
    }
  });

  it('deny non-TLS access on both queues', () => {
    for (const id of [queueId, dlqId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('redrive to the DLQ after maxReceiveCount 5 receives', () => {
    expect(INGEST_TUNING.maxReceiveCount).toBe(5);
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  it('keep DLQ messages for the 14-day maximum, and say how long the ingest queue keeps its own (4 days)', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    expect(queues[dlqId]?.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(queues[queueId]?.Properties.MessageRetentionPeriod).toBe(4 * 24 * 3600);
  });

  it('keep the DLQ (the record of what still needs a redrive) when the stack is deleted, unless destroyable', () => {
    expect(template.findResources('AWS::SQS::Queue')[dlqId]).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const dev = synthesize({ destroyable: 'true' });
    expect(
      dev.template.findResources('AWS::SQS::Queue')[logicalId(dev.stack.ingest.deadLetterQueue)],
    ).toMatchObject({
      DeletionPolicy: 'Delete',
    });
  });

  it('hide a received message for at least 6x the ingest timeout', () => {
    const visibility = template.findResources('AWS::SQS::Queue')[queueId]?.Properties.VisibilityTimeout;
    expect(typeof ingestFn?.Properties.Timeout).toBe('number');
    expect(visibility).toBeGreaterThanOrEqual(6 * ingestFn?.Properties.Timeout);
  });

  it('accept messages only from S3 for this bucket in this account', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowUploadBucketNotifications',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
            Condition: {
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          },
        ]),
      },
    });
  });
});

describe('bucket notifications', () => {
  it('send creations, delete markers and version deletes, and only those, to the ingest queue', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucketId },
      NotificationConfiguration: {
        QueueConfigurations: [
          { Events: ['s3:ObjectCreated:*'], QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
          {
            Events: ['s3:ObjectRemoved:DeleteMarkerCreated'],
            QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          },
          { Events: ['s3:ObjectRemoved:Delete'], QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        ],
        LambdaFunctionConfigurations: Match.absent(),
        TopicConfigurations: Match.absent(),
      },
    });
  });

  it('are set only after the queue policy that lets S3 publish exists', () => {
    const notifications = Object.values(template.findResources('Custom::S3BucketNotifications'))[0];
    expect(notifications?.DependsOn).toContain(logicalId(stack.ingest.queue.node.findChild('Policy')));
  });
});

describe('event source mapping', () => {
  it('reports partial batch failures, batches, and caps concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: logicalId(stack.ingest.ingest.function) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 2,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});

describe('ingest grants', () => {
  const actions = allowedActions(template, stack.ingest.ingest.role);

  it('read objects of the upload bucket (by version too), and nothing that writes to it', () => {
    const s3Statements = statementsOfRole(template, stack.ingest.ingest.role).filter((s) =>
      JSON.stringify(s.Action).includes('s3:'),
    );
    expect(s3Statements).toContainEqual(
      expect.objectContaining({
        Action: expect.toSatisfy(
          (a: unknown) => Array.isArray(a) && [...a].sort().join() === 's3:GetObject,s3:GetObjectVersion',
        ),
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      }),
    );
    expect(s3Statements).toContainEqual(
      expect.objectContaining({ Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] } }),
    );
    const writes = s3Statements.filter((s) => /s3:(Put|Delete|\*)/.test(JSON.stringify(s.Action)));
    expect(JSON.stringify(writes)).not.toContain(bucketId);
  });

  it('only put article bodies in the body bucket, under the body prefix: never delete or read them', () => {
    const bodyStatements = statementsOfRole(template, stack.ingest.ingest.role).filter((s) =>
      JSON.stringify(s.Resource).includes(bodiesId),
    );
    expect(bodyStatements).toEqual([
      expect.objectContaining({
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bodiesId, 'Arn'] }, '/bodies/*']] },
      }),
    ]);
    expect(ingestFn?.Properties.Environment.Variables.BODY_BUCKET).toEqual({ Ref: bodiesId });
  });

  it('get and put items of the article table (and only that table): one write per event, nothing else', () => {
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    ]);
    const dynamoResources = statementsOfRole(template, stack.ingest.ingest.role)
      .filter((s) => JSON.stringify(s.Action).includes('dynamodb:'))
      .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect(dynamoResources.length).toBeGreaterThan(0);
    for (const resource of dynamoResources) expect(JSON.stringify(resource)).toContain(tableId);
  });

  it('consume the queue but never publish to it', () => {
    expect(actions).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    expect(actions).not.toContain('sqs:SendMessage');
  });
});
