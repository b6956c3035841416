import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { tableKeySchema } from '../../functions/store/table';

export interface ArticleStorageProps {
  /** Throwaway stack: bucket (emptied by CDK's auto-delete handler) and table go with the stack. */
  readonly destroyable: boolean;
  /** Days an overwritten or deleted upload is kept as a noncurrent version, to be restored. */
  readonly noncurrentVersionDays: number;
}

const attributeType = (type: 'S' | 'N' | 'B'): dynamodb.AttributeType =>
  ({ S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER, B: dynamodb.AttributeType.BINARY })[
    type
  ];

/**
 * Where articles live: the upload bucket (the source of truth users write to) and the single table (derived
 * records and index items). Both are retained when the stack is deleted unless the stack is destroyable.
 */
export class ArticleStorage extends Construct {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ArticleStorageProps) {
    super(scope, id);
    const removalPolicy = props.destroyable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    this.bucket = new s3.Bucket(this, 'Uploads', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // The bucket holds the only copy of every upload: an overwrite or delete can be undone for
      // noncurrentVersionDays. The ingest follows the current version only (see ./ingest-pipeline.ts for which
      // events it takes and why deleting an old version never removes an article).
      versioned: true,
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays),
          // A delete marker whose older versions have all expired hides nothing; S3 removes it.
          expiredObjectDeleteMarker: true,
        },
      ],
      removalPolicy,
      autoDeleteObjects: props.destroyable,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Server access logs would need a second bucket the product does not otherwise need; every upload and delete is already recorded as an outcome item in the table and in the ingest logs, and CloudTrail data events can be enabled account-wide where an audit trail is required.',
    });

    const { partitionKey, sortKey } = tableKeySchema;
    this.table = new dynamodb.Table(this, 'Articles', {
      partitionKey: { name: partitionKey.name, type: attributeType(partitionKey.type) },
      sortKey: { name: sortKey.name, type: attributeType(sortKey.type) },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: !props.destroyable,
      // CloudWatch Contributor Insights: the most read and written (and throttled) keys, to spot a hot partition.
      contributorInsightsSpecification: { enabled: true },
      removalPolicy,
    });
  }
}
