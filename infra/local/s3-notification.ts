import { randomBytes } from 'node:crypto';

/**
 * S3 event notifications exactly as real S3 writes them into an SQS message body (event version 2.1).
 * s3rver's own events differ (raw keys, version 2.0, a millisecond-clock sequencer, a malformed bucket ARN),
 * so the bridge builds these from scratch.
 */
export type S3NotificationEventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete';

export interface S3NotificationObject {
  key: string;
  size?: number;
  eTag?: string;
  sequencer: string;
}

export interface S3NotificationRecord {
  eventVersion: '2.1';
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: S3NotificationEventName;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
  s3: {
    s3SchemaVersion: '1.0';
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: S3NotificationObject;
  };
}

/** The body of the message S3 sends once when a notification configuration is saved. */
export interface S3TestEvent {
  Service: 'Amazon S3';
  Event: 's3:TestEvent';
  Time: string;
  Bucket: string;
  RequestId: string;
  HostId: string;
}

const SAFE = /[A-Za-z0-9\-_.*/]/;

/**
 * Encodes a key the way S3 does in event notifications: form-urlencoding (space as `+`, UTF-8 bytes as
 * upper-case `%XX`) with `/` left alone. A consumer decodes it with
 * `decodeURIComponent(key.replace(/\+/g, ' '))`, which is why a literal `+` must become `%2B`.
 */
export const encodeS3EventKey = (key: string): string => {
  let out = '';
  for (const char of key) {
    if (char === ' ') out += '+';
    else if (SAFE.test(char)) out += char;
    else
      for (const byte of Buffer.from(char, 'utf8'))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
};

const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();

/** Fixed per process, like the owner of a real bucket. */
const OWNER_ID = hex(7);
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CONFIGURATION_ID = 'local-ingest-notification';

export const buildS3NotificationRecord = (input: {
  bucket: string;
  key: string;
  eventName: S3NotificationEventName;
  sequencer: string;
  size?: number | undefined;
  eTag?: string | undefined;
  eventTime?: Date;
  sourceIp?: string;
}): S3NotificationRecord => {
  const object: S3NotificationObject = { key: encodeS3EventKey(input.key), sequencer: input.sequencer };
  // Real S3 omits size and eTag on removals.
  if (input.eventName !== 'ObjectRemoved:Delete') {
    if (input.size !== undefined) object.size = input.size;
    if (input.eTag !== undefined) object.eTag = input.eTag;
  }
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: LOCAL_REGION,
    eventTime: (input.eventTime ?? new Date()).toISOString(),
    eventName: input.eventName,
    userIdentity: { principalId: `AWS:${hex(10)}` },
    requestParameters: { sourceIPAddress: input.sourceIp ?? '127.0.0.1' },
    responseElements: { 'x-amz-request-id': hex(8), 'x-amz-id-2': randomBytes(48).toString('base64') },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: LOCAL_CONFIGURATION_ID,
      bucket: {
        name: input.bucket,
        ownerIdentity: { principalId: OWNER_ID },
        arn: `arn:aws:s3:::${input.bucket}`,
      },
      object,
    },
  };
};

export const buildS3TestEvent = (bucket: string): S3TestEvent => ({
  Service: 'Amazon S3',
  Event: 's3:TestEvent',
  Time: new Date().toISOString(),
  Bucket: bucket,
  RequestId: hex(8),
  HostId: randomBytes(48).toString('base64'),
});
