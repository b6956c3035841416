import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFiles } from '../../infra/local/files';
import { type S3Local, startS3Local } from '../../infra/local/s3-local';
import { keyWithPrefix, uploadFiles } from '../../infra/local/upload-files';

describe('uploadFiles against s3rver', () => {
  let dir: string;
  let s3: S3Local;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upload-test-'));
    s3 = await startS3Local({ directory: join(dir, 's3'), buckets: ['up'] });
    const src = join(dir, 'src');
    mkdirSync(join(src, 'nested'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'alpha');
    writeFileSync(join(src, 'nested', 'b c+d.txt'), 'bravo');
    writeFileSync(join(src, '.hidden'), 'skip me');
    writeFileSync(join(src, `${'x'.repeat(240)}.txt`), 'too long for s3rver');
  });
  afterAll(async () => {
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads folders under a prefix, keeps bytes intact, and reports failures without stopping', async () => {
    const files = collectFiles([join(dir, 'src')]);
    expect(files.map((f) => f.key)).toEqual(['a.txt', 'nested/b c+d.txt', `${'x'.repeat(240)}.txt`]);
    const done: string[] = [];
    const result = await uploadFiles({
      client: s3.client,
      bucket: 'up',
      files,
      prefix: 'batch',
      localLimits: true,
      onFileDone: (file) => done.push(file.key),
    });
    expect(result).toMatchObject({ uploaded: 2, bytes: 10 });
    expect(result.failed).toEqual([
      { key: `batch/${'x'.repeat(240)}.txt`, error: expect.stringMatching(/233 bytes/) },
    ]);
    expect(done).toHaveLength(3);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'up' }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual(['batch/a.txt', 'batch/nested/b c+d.txt']);
    const body = await s3.client.send(new GetObjectCommand({ Bucket: 'up', Key: 'batch/nested/b c+d.txt' }));
    expect(await body.Body?.transformToString()).toBe('bravo');
  });

  it('joins prefixes with exactly one slash', () => {
    expect(keyWithPrefix('', 'k')).toBe('k');
    expect(keyWithPrefix('p', 'k')).toBe('p/k');
    expect(keyWithPrefix('p/', 'k')).toBe('p/k');
  });
});
