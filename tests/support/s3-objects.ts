import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/** A GetObject body with the SDK's stream helpers, as the real client returns in Node. */
export const s3Body = (bytes: Uint8Array) =>
  Object.assign(Readable.from([Buffer.from(bytes)]), {
    transformToByteArray: async () => bytes,
    transformToString: async () => Buffer.from(bytes).toString('utf8'),
    transformToWebStream: () => {
      throw new Error('not used');
    },
  });

/** Backs a mocked S3Client with a Map of key -> bytes; missing keys raise NoSuchKey like S3. */
export const installFakeBucket = (s3: AwsClientStub<S3Client>) => {
  const objects = new Map<string, Uint8Array>();
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const bytes = objects.get(input.Key);
    if (!bytes) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
    return { Body: s3Body(bytes), ContentLength: bytes.byteLength, ETag: '"0123456789abcdef"' };
  });
  return objects;
};
