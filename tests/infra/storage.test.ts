import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { tableKeySchema } from '../../functions/store/table';
import { logicalId, synthesize } from './synth';

const { stack, template } = synthesize();

describe('upload bucket', () => {
  it('blocks every kind of public access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('encrypts objects at rest with S3-managed keys', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  it('denies any request that is not TLS 1.2 or newer', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  it('is versioned, keeps overwritten or deleted uploads 30 days, and aborts stale multipart uploads', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }),
          Match.objectLike({
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            ExpiredObjectDeleteMarker: true,
            Status: 'Enabled',
          }),
        ],
      },
    });
  });

  it('keeps noncurrent versions for noncurrentVersionDays', () => {
    synthesize({ noncurrentVersionDays: '90' }).template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })]),
      },
    });
  });

  it('is retained when the stack is deleted', () => {
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });
});

describe('body bucket (article bodies too large for their item)', () => {
  const bodies = () => template.findResources('AWS::S3::Bucket')[logicalId(stack.storage.bodies)];

  it('is a second bucket, hardened like the upload bucket, with no notifications', () => {
    expect(logicalId(stack.storage.bodies)).not.toBe(logicalId(stack.storage.bucket));
    expect(bodies()?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    expect(bodies()).toMatchObject({ DeletionPolicy: 'Retain' });
    const notifications = template.findResources('Custom::S3BucketNotifications');
    expect(JSON.stringify(notifications)).not.toContain(logicalId(stack.storage.bodies));
  });

  it('denies any request that is not TLS 1.2 or newer', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack.storage.bodies) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });
});

describe('article table', () => {
  it('takes its keys from the store module and has no secondary indexes', () => {
    const { partitionKey, sortKey } = tableKeySchema;
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: partitionKey.name, KeyType: 'HASH' },
        { AttributeName: sortKey.name, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: partitionKey.name, AttributeType: partitionKey.type },
        { AttributeName: sortKey.name, AttributeType: sortKey.type },
      ],
      GlobalSecondaryIndexes: Match.absent(),
      LocalSecondaryIndexes: Match.absent(),
    });
  });

  it('is on-demand, with point-in-time recovery and KMS encryption', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('shows its hottest keys (CloudWatch Contributor Insights)', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      ContributorInsightsSpecification: { Enabled: true },
    });
  });

  it('is retained and protected from deletion', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });
});

describe('destroyable=true (throwaway dev stack)', () => {
  const dev = synthesize({ destroyable: 'true' });

  it('deletes the bucket after emptying it', () => {
    dev.template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    dev.template.hasResourceProperties('Custom::S3AutoDeleteObjects', {
      BucketName: { Ref: logicalId(dev.stack.storage.bucket) },
    });
  });

  it('deletes the table and its log groups', () => {
    dev.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    for (const group of Object.values(dev.template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.DeletionPolicy).toBe('Delete');
    }
  });
});

describe('default stack log groups', () => {
  it('are retained like the data they describe', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) expect(group.DeletionPolicy).toBe('Retain');
  });
});
