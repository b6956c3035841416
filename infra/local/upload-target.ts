import { S3Client } from '@aws-sdk/client-s3';
import type { RunningStack } from './data-dir';
import { DEFAULT_BUCKET, DEFAULT_PORTS } from './options';
import { makeLocalS3Client } from './s3-local';
import type { UploadResult } from './upload-files';

/**
 * Where `npm run upload` sends files. The local stack's quirks (s3rver's fixed S3RVER key pair, its 233-byte key
 * segments) apply only when the target is the local stack: no --bucket and no --endpoint, or the endpoint of the
 * stack running on the data folder (or its default port). Any other endpoint (moto, MinIO, a real S3 through a
 * proxy) gets the SDK's default credential chain and S3's own limits, as a deployed bucket does.
 */
export interface UploadTarget {
  /** The local stack: S3RVER credentials and s3rver's key-segment limit. */
  local: boolean;
  /** Undefined for AWS itself (the SDK's regional endpoint). */
  endpoint: string | undefined;
  bucket: string;
  client: S3Client;
}

export const resolveUploadTarget = (options: {
  bucket?: string | undefined;
  endpoint?: string | undefined;
  running: RunningStack | null;
}): UploadTarget => {
  const { running } = options;
  const localEndpoint = running?.s3Endpoint ?? `http://127.0.0.1:${process.env.S3_PORT ?? DEFAULT_PORTS.s3}`;
  if (options.endpoint === undefined && options.bucket !== undefined)
    return { local: false, endpoint: undefined, bucket: options.bucket, client: new S3Client({}) };
  const endpoint = (options.endpoint ?? localEndpoint).replace(/\/+$/, '');
  const bucket = options.bucket ?? running?.bucket ?? DEFAULT_BUCKET;
  if (endpoint === localEndpoint)
    return { local: true, endpoint, bucket, client: makeLocalS3Client(endpoint) };
  const client = new S3Client({
    endpoint,
    // S3-compatible servers mostly serve path-style only, and not every one reads aws-chunked bodies.
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(process.env.AWS_REGION ? {} : { region: 'us-east-1' }),
  });
  return { local: false, endpoint, bucket, client };
};

/** No credentials at all: the SDK found none in any provider. */
const MISSING_CREDENTIALS = /Could not load credentials|CredentialsProviderError/i;
/** Credentials sent and refused by the endpoint. */
const REFUSED_CREDENTIALS =
  /InvalidAccessKeyId|SignatureDoesNotMatch|does not exist in our records|ExpiredToken|security token/i;
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|socket hang up/;

/** One line that fits why an upload failed, or null when the failures speak for themselves. */
export const failureHint = (target: UploadTarget, result: Pick<UploadResult, 'uploaded' | 'failed'>) => {
  if (result.uploaded > 0 || result.failed.length === 0) return null;
  const errors = result.failed.map((f) => f.error).join('\n');
  if (target.local && UNREACHABLE.test(errors))
    return `The local stack's S3 at ${target.endpoint} did not answer: did the stack stop? \`npm start\` starts it.`;
  if (MISSING_CREDENTIALS.test(errors))
    return `No credentials were found for ${target.endpoint ?? 'AWS'}: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`;
  if (REFUSED_CREDENTIALS.test(errors))
    return `The credentials were refused by ${target.endpoint ?? 'AWS'}: set them for this endpoint (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).`;
  if (UNREACHABLE.test(errors)) return `Nothing answered at ${target.endpoint ?? 'AWS'}; check --endpoint.`;
  return null;
};
