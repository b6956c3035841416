import { readFileSync } from 'node:fs';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { collectFiles, md5Hex } from './files';

/**
 * Puts every seed file into the bucket unless an identical object is already there, so a restart on a kept
 * data folder does not re-ingest the seeds (and a changed seed is picked up). Returns the keys it uploaded.
 */
export const uploadSeeds = async (s3: S3Client, bucket: string, seedsDir: string): Promise<string[]> => {
  const uploaded: string[] = [];
  for (const file of collectFiles([seedsDir])) {
    const existing = await s3
      .send(new HeadObjectCommand({ Bucket: bucket, Key: file.key }))
      .then((head) => head.ETag?.replaceAll('"', ''))
      .catch(() => undefined);
    if (existing === md5Hex(file.path)) continue;
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: file.key,
        Body: readFileSync(file.path),
        ContentType: 'text/plain',
      }),
    );
    uploaded.push(file.key);
  }
  return uploaded;
};
