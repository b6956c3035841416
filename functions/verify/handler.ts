import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { MAX_ARTICLE_BYTES, PARSER_VERSION } from '../core/article';
import { normaliseArticle } from '../core/normalise';
import { loadVerifyConfig } from '../shared/config';
import { makeObservability, publishMetrics } from '../shared/observability';
import { makeS3BodyStore } from '../store/article-body';
import { makeVerifyRun } from './run';
import { makeVerifyStep } from './step';

/** The deployed verify function: every step of the verify state machine (infra/constructs/verify.ts). */
const config = loadVerifyConfig();
const observability = makeObservability('verify');
const s3 = observability.traceClient(new S3Client({}));
const dynamo = observability.traceClient(new DynamoDBClient({}));

const step = makeVerifyStep(
  makeVerifyRun({
    client: dynamo,
    tableName: config.TABLE_NAME,
    s3,
    bucket: config.BUCKET_NAME,
    bodyBucket: config.BODY_BUCKET,
    reportBucket: config.REPORT_BUCKET,
    bodies: makeS3BodyStore({ client: s3, bucket: config.BODY_BUCKET }),
    normalise: normaliseArticle,
    maxObjectBytes: MAX_ARTICLE_BYTES,
    parserVersion: PARSER_VERSION,
    observability,
  }),
  { readSharePercent: config.READ_SHARE_PERCENT },
);

export const handler = async (event: unknown, context: Context) => {
  try {
    return await step(event, () => context.getRemainingTimeInMillis());
  } finally {
    publishMetrics(observability.metrics);
  }
};
