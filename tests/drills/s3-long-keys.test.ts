import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Local, startS3Local } from '../../infra/local/s3-local';

/**
 * Found by the hostile-input drill: s3rver stores a key as a file path and did not handle the error of a file
 * name too long for the filesystem, so one PutObject with a key segment over ~230 bytes killed the whole local
 * stack (`npm start`) with an unhandled 'error' event. The local S3 now refuses such keys with S3's
 * KeyTooLongError (a documented local limit; S3 itself takes 1,024-byte keys) and keeps serving.
 */
let dir: string;
let s3: S3Local;
const bucket = 'articles';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 's3-long-keys-'));
  s3 = await startS3Local({ directory: dir, buckets: [bucket] });
});
afterAll(async () => {
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const put = (Key: string) => s3.client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }));
const errorName = (promise: Promise<unknown>) =>
  promise.then(
    () => 'stored',
    (error: unknown) => (error instanceof Error ? error.name : 'unknown'),
  );

describe('drill finding: keys too long for the local S3', () => {
  it('refuses a key segment beyond the local limit and keeps serving', async () => {
    expect(await errorName(put(`long/${'x'.repeat(300)}.txt`))).toBe('KeyTooLongError');
    expect(await errorName(put(`${'d'.repeat(300)}/a.txt`))).toBe('KeyTooLongError');
    expect(await errorName(put(`long/${'é'.repeat(150)}`))).toBe('KeyTooLongError');
    await put('ok.txt');
    expect(
      await errorName(
        s3.client.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: `copy/${'y'.repeat(300)}`,
            CopySource: `${bucket}/ok.txt`,
          }),
        ),
      ),
    ).toBe('KeyTooLongError');
    const got = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'ok.txt' }));
    expect(await got.Body?.transformToString()).toBe('x');
  });

  it('stores segments up to the limit, in bytes of UTF-8', async () => {
    expect(await errorName(put(`fits/${'s'.repeat(233)}`))).toBe('stored');
    expect(await errorName(put(`fits/${'s'.repeat(234)}`))).toBe('KeyTooLongError');
    expect(
      await errorName(put(`${'s'.repeat(200)}/${'t'.repeat(200)}/${'u'.repeat(200)}/${'v'.repeat(200)}`)),
    ).toBe('stored');
  });
});
