import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { freePort } from './free-port';

/** s3rver accepts only this key pair (unless given another). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3Local {
  endpoint: string;
  port: number;
  /** Emits s3rver's 'event' (S3-notification-shaped, keys NOT URL-encoded). */
  server: S3rver;
  client: S3Client;
  stop(): Promise<void>;
}

/**
 * An S3 client for s3rver. Path-style addressing, and checksums only when required: otherwise the SDK sends
 * aws-chunked bodies that s3rver stores verbatim, framing included.
 */
export const makeLocalS3Client = (endpoint: string): S3Client =>
  new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

export const startS3Local = async (options: {
  directory: string;
  buckets: string[];
  port?: number;
}): Promise<S3Local> => {
  const directory = resolve(options.directory);
  mkdirSync(directory, { recursive: true });
  const port = options.port ?? (await freePort());
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = makeLocalS3Client(endpoint);
  const stop = async () => {
    client.destroy();
    await server.close();
  };
  return { endpoint, port, server, client, stop };
};
