import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE as FUNCTIONS_NAMESPACE } from '../../functions/shared/observability';
import { METRICS_NAMESPACE } from '../../infra/constructs/pipeline-function';
import { logicalId, synthesize } from './synth';

const { stack, template } = synthesize();
const ours = [
  { name: 'ingest', construct: stack.ingest.ingest },
  { name: 'api', construct: stack.api.api },
];

describe.each(ours)('the $name function', ({ name, construct }) => {
  const fnId = logicalId(construct.function);
  const fn = template.findResources('AWS::Lambda::Function')[fnId];

  it('runs on arm64 with the Node 24 runtime, ESM handler, and an explicit memory size and timeout', () => {
    expect(fn?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: expect.any(Number),
      Timeout: expect.any(Number),
    });
  });

  it('traces actively with X-Ray', () => {
    expect(fn?.Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('logs to its own log group, which has a retention', () => {
    const groupId = logicalId(construct.logGroup);
    expect(fn?.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: groupId } });
    expect(template.findResources('AWS::Logs::LogGroup')[groupId]?.Properties.RetentionInDays).toBe(30);
  });

  it('sets the Powertools variables and turns source maps on', () => {
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: name,
      POWERTOOLS_METRICS_NAMESPACE: FUNCTIONS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('gets the table name from the stack', () => {
    expect(fn?.Properties.Environment.Variables.TABLE_NAME).toEqual({ Ref: logicalId(stack.storage.table) });
  });

  it('has a role with no managed policies, allowed to write only to its own log group', () => {
    const role = template.findResources('AWS::IAM::Role')[logicalId(construct.role)];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(construct.role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [logicalId(construct.logGroup), 'Arn'] },
          },
        ]),
      },
    });
  });
});

describe('house defaults', () => {
  it('use the metrics namespace the functions use', () => {
    expect(METRICS_NAMESPACE).toBe(FUNCTIONS_NAMESPACE);
  });

  it('need no LogRetention custom resource (log groups are explicit)', () => {
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  it('honour the logRetentionDays context', () => {
    const short = synthesize({ logRetentionDays: '7' });
    for (const group of Object.values(short.template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(7);
    }
  });
});

describe('what the stack creates', () => {
  it('has exactly the product resources plus the S3 notifications handler CDK adds', () => {
    // Five product functions (ingest, API, derive and count consumers, verify) and CDK's BucketNotificationsHandler.
    // Three buckets: uploads, the bodies too large for their item, and the verify reports.
    template.resourceCountIs('AWS::Lambda::Function', 6);
    template.resourceCountIs('Custom::S3BucketNotifications', 1);
    template.resourceCountIs('AWS::S3::Bucket', 3);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::SQS::Queue', 4);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    // One per function, one for each state machine's execution log (reprocess, verify).
    template.resourceCountIs('AWS::Logs::LogGroup', 8);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    // No schedule unless -c verifySchedule is given.
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::CDK::Metadata', 0);
  });
});
