import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TABLE_STREAM_VIEW_TYPE, tableKeySchema } from '../../functions/store/table';

export interface ArticleStorageProps {
  /** Throwaway stack: bucket (emptied by CDK's auto-delete handler) and table go with the stack. */
  readonly destroyable: boolean;
  /**
   * Write units per second the table takes at once (CloudFormation WarmThroughput), for a planned bulk load; none:
   * a new on-demand table starts at 4,000 and scales with the traffic.
   */
  readonly warmWriteUnits?: number | undefined;
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
  /**
   * Article bodies too large for their table item (functions/store/article-body.ts): the stack's own bucket, not
   * the upload bucket, so writing a body fires no notification. Written and deleted by the ingest only.
   */
  readonly bodies: s3.Bucket;
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ArticleStorageProps) {
    super(scope, id);
    const removalPolicy = props.destroyable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const hardened = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      autoDeleteObjects: props.destroyable,
    } satisfies s3.BucketProps;

    this.bucket = new s3.Bucket(this, 'Uploads', {
      ...hardened,
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
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Server access logs would need a second bucket the product does not otherwise need; every upload and delete is already recorded as an outcome item in the table and in the ingest logs, and CloudTrail data events can be enabled account-wide where an audit trail is required.',
    });

    // Versioned (DESIGN, pitfall 10): bodies are named by their content and writers only ever put, so two writers
    // of one body may put it twice; the verifier's sweep deletes only the version it examined, never a newer put.
    // Noncurrent versions (a body put again) expire after a day. Retained like the table it belongs to.
    this.bodies = new s3.Bucket(this, 'Bodies', {
      ...hardened,
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-noncurrent-bodies',
          noncurrentVersionExpiration: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
      ],
    });
    Validations.of(this.bodies).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the ingest function writes here, each object under a key derived from its content and recorded on the record that points at it; access logs would need a further bucket and add nothing a user can act on.',
    });

    const { partitionKey, sortKey } = tableKeySchema;
    // `Records`, not the earlier `Articles`: the one-write layout (functions/store/keys.ts) is a new table, so a stack
    // deployed before it gets a fresh table and keeps the old one (retained) until its owner deletes it
    // (docs/deploying.md, migrating a deployed table).
    this.table = new dynamodb.Table(this, 'Records', {
      partitionKey: { name: partitionKey.name, type: attributeType(partitionKey.type) },
      sortKey: { name: sortKey.name, type: attributeType(sortKey.type) },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: !props.destroyable,
      // CloudWatch Contributor Insights: the most read and written (and throttled) keys, to spot a hot partition.
      contributorInsightsSpecification: { enabled: true },
      removalPolicy,
      // The derive and count consumers read it (infra/constructs/stream-consumers.ts); see functions/store/table.ts.
      stream: { NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE }[TABLE_STREAM_VIEW_TYPE],
      ...(props.warmWriteUnits ? { warmThroughput: { writeUnitsPerSecond: props.warmWriteUnits } } : {}),
    });
  }
}
