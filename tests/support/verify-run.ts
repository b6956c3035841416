import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { MAX_ARTICLE_BYTES, PARSER_VERSION } from '../../functions/core/article';
import { normaliseArticle } from '../../functions/core/normalise';
import type { Observability } from '../../functions/shared/observability';
import { makeS3BodyStore } from '../../functions/store/article-body';
import { makeVerifyRun, type RunDeps } from '../../functions/verify/run';
import type { LocalStack } from '../../infra/local/stack';
import { quietObservability } from './quiet-observability';

/**
 * The AWS verify run's steps wired to a local stack (DynamoDB Local, s3rver, the real core), as the verify function
 * wires them in Lambda: for tests, drills and benches. `reportBucket` must exist.
 */
export const localVerifyRun = (
  stack: Pick<LocalStack, 'tableName' | 'bucket'>,
  clients: { client: DynamoDBClient; s3: S3Client },
  reportBucket: string,
  over: Partial<RunDeps> & { observability?: Observability } = {},
) =>
  makeVerifyRun({
    client: clients.client,
    tableName: stack.tableName,
    s3: clients.s3,
    bucket: stack.bucket,
    bodyBucket: `${stack.bucket}-bodies`,
    reportBucket,
    bodies: makeS3BodyStore({ client: clients.s3, bucket: `${stack.bucket}-bodies` }),
    normalise: normaliseArticle,
    maxObjectBytes: MAX_ARTICLE_BYTES,
    parserVersion: PARSER_VERSION,
    observability: quietObservability(),
    ...over,
  });
