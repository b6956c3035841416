import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { z } from 'zod';
import { freePort } from './free-port';

/** s3rver accepts only this key pair (unless given another). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3Local {
  endpoint: string;
  port: number;
  /** Emits s3rver's 'event' (S3-notification-shaped, keys NOT URL-encoded). */
  server: S3rver;
  client: S3Client;
  /** Called when its HTTP server closes without stop() having been called. */
  onUnexpectedClose(listener: () => void): void;
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

/**
 * s3rver stores a key as a file path, one folder per `/`-segment, and adds up to 22 bytes to the last
 * (`._S3rver_metadata.json`); file names may have 255 bytes. A longer segment made its file write fail with an
 * unhandled 'error' event, which killed the whole process. Such keys are refused up front with S3's own
 * KeyTooLongError instead: a documented local limit (S3 takes keys of up to 1,024 bytes).
 */
export const MAX_LOCAL_KEY_SEGMENT_BYTES = 255 - '._S3rver_metadata.json'.length;

export const fitsLocalS3 = (key: string): boolean =>
  key.split('/').every((segment) => Buffer.byteLength(segment, 'utf8') <= MAX_LOCAL_KEY_SEGMENT_BYTES);

const require = createRequire(import.meta.url);
const S3ErrorSchema = z.custom<new (code: string, message: string) => Error>((v) => typeof v === 'function');
const ObjectSchema = z.object({ key: z.string() });
const HttpServerSchema = z.custom<{ on(event: 'close', listener: () => void): unknown }>(
  (v) => typeof v === 'object' && v !== null && typeof Reflect.get(v, 'on') === 'function',
);
type StoreMethod = (...args: unknown[]) => Promise<unknown>;
const StoreSchema = z.custom<{ putObject: StoreMethod; copyObject: StoreMethod; deleteObject: StoreMethod }>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof Reflect.get(v, 'putObject') === 'function' &&
    typeof Reflect.get(v, 'copyObject') === 'function' &&
    typeof Reflect.get(v, 'deleteObject') === 'function',
);

/**
 * s3rver's deleteObject removes a key's folders once they are empty, and its putObject creates them, then opens
 * the object file with no 'error' listener. A delete of the last object under a prefix that lands between the two
 * makes the open fail with ENOENT as an unhandled 'error' event, which kills the process (seen in the overwrite
 * and delete races). So a delete waits until no put is running, and puts wait while a delete runs; puts still
 * run together.
 */
const keepFoldersOfPuts = (server: S3rver) => {
  const store = StoreSchema.parse(Reflect.get(server, 'store'));
  const { putObject, deleteObject } = store;
  let puts = 0;
  const drained: Array<() => void> = [];
  let deletes: Promise<unknown> = Promise.resolve();
  store.putObject = async (...args) => {
    await deletes;
    puts += 1;
    try {
      return await putObject.apply(store, args);
    } finally {
      puts -= 1;
      if (puts === 0) for (const resolve of drained.splice(0)) resolve();
    }
  };
  store.deleteObject = (...args) => {
    const run = deletes.then(async () => {
      if (puts > 0) await new Promise<void>((resolve) => drained.push(resolve));
      return deleteObject.apply(store, args);
    });
    deletes = run.catch(() => {});
    return run;
  };
};

/** Wraps the store's two writers (multipart completion goes through putObject) with the key check. */
const refuseLongKeys = (server: S3rver) => {
  const store = StoreSchema.parse(Reflect.get(server, 'store'));
  const S3Error = S3ErrorSchema.parse(require('s3rver/lib/models/error'));
  const check = (key: unknown) => {
    if (typeof key === 'string' && !fitsLocalS3(key))
      throw new S3Error(
        'KeyTooLongError',
        `Your key is too long for the local S3: each part between slashes may have at most ${MAX_LOCAL_KEY_SEGMENT_BYTES} bytes.`,
      );
  };
  const { putObject, copyObject } = store;
  store.putObject = (...args) => {
    check(ObjectSchema.safeParse(args[0]).data?.key);
    return putObject.apply(store, args);
  };
  // copyObject(srcBucket, srcKey, destBucket, destKey, ...)
  store.copyObject = (...args) => {
    check(args[3]);
    return copyObject.apply(store, args);
  };
};

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
  refuseLongKeys(server);
  keepFoldersOfPuts(server);
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = makeLocalS3Client(endpoint);
  let stopping = false;
  const listeners: (() => void)[] = [];
  // s3rver runs in this process: it "dies" when its HTTP server closes under it.
  HttpServerSchema.safeParse(Reflect.get(server, 'httpServer')).data?.on('close', () => {
    if (!stopping) for (const listener of listeners) listener();
  });
  const stop = async () => {
    stopping = true;
    client.destroy();
    await server.close();
  };
  return { endpoint, port, server, client, onUnexpectedClose: (l) => listeners.push(l), stop };
};
