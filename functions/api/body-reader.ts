import { S3Client } from '@aws-sdk/client-s3';
import type { Observability } from '../shared/observability';
import { type BodyReader, makeS3BodyStore } from '../store/article-body';

/**
 * Entry of the API's second bundle (./body-reader-file.ts): the only code that needs the S3 client. The handler
 * passes its own tracing, so the S3 calls are traced like the DynamoDB ones; the bundle has the same aliases as the
 * API's, so it signs with the same environment credentials.
 */
export const makeBodyReader = (deps: {
  bucket: string;
  traceClient: Observability['traceClient'];
}): BodyReader => makeS3BodyStore({ client: deps.traceClient(new S3Client({})), bucket: deps.bucket });
