import { readFileSync } from 'node:fs';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LocalFile } from './files';
import { fitsLocalS3, MAX_LOCAL_KEY_SEGMENT_BYTES } from './s3-local';

export interface UploadResult {
  uploaded: number;
  failed: { key: string; error: string }[];
  bytes: number;
  ms: number;
}

/** S3's own limit on a key (UTF-8 bytes), wherever the bucket is. */
export const MAX_S3_KEY_BYTES = 1024;

export const keyWithPrefix = (prefix: string, key: string): string =>
  prefix ? `${prefix.endsWith('/') ? prefix : `${prefix}/`}${key}` : key;

const guessContentType = (key: string) =>
  /\.(txt|text|md)$/i.test(key) ? 'text/plain; charset=utf-8' : undefined;

/** Puts files with a few requests in flight; failures are collected, not thrown, so one bad file stops nothing. */
export const uploadFiles = async (options: {
  client: S3Client;
  bucket: string;
  files: readonly LocalFile[];
  prefix?: string;
  concurrency?: number;
  /**
   * Reject keys s3rver cannot store, with a clear reason, instead of its opaque error: for the local stack only.
   * Keys over S3's 1,024 bytes are refused everywhere.
   */
  localLimits?: boolean;
  onFileDone?: (file: LocalFile, error: string | null) => void;
}): Promise<UploadResult> => {
  const started = Date.now();
  const result: UploadResult = { uploaded: 0, failed: [], bytes: 0, ms: 0 };
  const queue = [...options.files];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const key = keyWithPrefix(options.prefix ?? '', file.key);
      let error: string | null = null;
      try {
        // The local S3 would refuse it too; saying so here names the limit instead of a bare KeyTooLongError.
        if (Buffer.byteLength(key, 'utf8') > MAX_S3_KEY_BYTES)
          throw new Error(`the key is over S3's limit of ${MAX_S3_KEY_BYTES} bytes`);
        if (options.localLimits && !fitsLocalS3(key))
          throw new Error(
            `a key segment over ${MAX_LOCAL_KEY_SEGMENT_BYTES} bytes cannot be stored by the local S3`,
          );
        const contentType = guessContentType(key);
        await options.client.send(
          new PutObjectCommand({
            Bucket: options.bucket,
            Key: key,
            Body: readFileSync(file.path),
            ...(contentType ? { ContentType: contentType } : {}),
          }),
        );
        result.uploaded += 1;
        result.bytes += file.size;
      } catch (caught) {
        error = caught instanceof Error ? caught.message : String(caught);
        result.failed.push({ key, error });
      }
      options.onFileDone?.(file, error);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  result.ms = Date.now() - started;
  return result;
};
