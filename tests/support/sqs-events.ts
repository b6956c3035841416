import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

/** Builders for the SQS-wrapped S3 notifications the ingest handler receives (shape as real S3 sends them). */

/** S3's form encoding of keys in notifications: space -> `+`, other unsafe bytes -> `%XX` (upper case). */
export const encodeKeyLikeS3 = (key: string): string => {
  let out = '';
  for (const char of key) {
    if (char === ' ') out += '+';
    else if (/[A-Za-z0-9\-_.*/]/.test(char)) out += char;
    else
      for (const byte of Buffer.from(char, 'utf8'))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
};

export interface S3RecordInput {
  eventName?: string;
  bucket?: string;
  /** The decoded key; encoded like S3 unless `rawKey` is given. */
  key: string;
  rawKey?: string;
  sequencer: string;
  size?: number;
  /**
   * The object's eTag (unquoted). Real S3 always sends one for a creation, and the ingest then reads the object
   * with it as IfMatch (or by versionId): pass the uploaded object's eTag (./s3-objects.ts eTagOf). Left out, the
   * notification carries none and the ingest reads whatever the key holds.
   */
  eTag?: string;
  eventTime?: string;
  /** Present in notifications from a versioned bucket. */
  versionId?: string;
}

export const s3Record = (input: S3RecordInput) => {
  const eventName = input.eventName ?? 'ObjectCreated:Put';
  const bucket = input.bucket ?? 'articles';
  const object: Record<string, unknown> = {
    key: input.rawKey ?? encodeKeyLikeS3(input.key),
    sequencer: input.sequencer,
    ...(input.versionId === undefined ? {} : { versionId: input.versionId }),
  };
  if (!eventName.startsWith('ObjectRemoved')) {
    object.size = input.size ?? 1000;
    if (input.eTag !== undefined) object.eTag = input.eTag;
  }
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: input.eventTime ?? '2026-01-01T00:00:00.000Z',
    eventName,
    userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': 'C3D13FE58DE4C810',
      'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'ingest',
      bucket: {
        name: bucket,
        ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
        arn: `arn:aws:s3:::${bucket}`,
      },
      object,
    },
  };
};

export const sqsRecord = (body: unknown, messageId: string = randomUUID()): SQSRecord => ({
  messageId,
  receiptHandle: `handle-${messageId}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1767225600000',
    SenderId: 'AIDAEXAMPLE',
    ApproximateFirstReceiveTimestamp: '1767225600000',
  },
  messageAttributes: {},
  md5OfBody: 'x',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:ingest',
  awsRegion: 'us-east-1',
});

/** One SQS message per S3 record, as S3 sends them. */
export const notification = (input: S3RecordInput, messageId?: string): SQSRecord =>
  sqsRecord({ Records: [s3Record(input)] }, messageId);

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

export const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'ingest',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ingest',
  memoryLimitInMB: '1024',
  awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/ingest',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});
