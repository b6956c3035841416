import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/**
 * Where an article body lives when it is too large for its record (./record.ts MAX_INLINE_BODY_BYTES): an object
 * in a bucket of the stack's own, never the upload bucket (whose notifications would fire), under a key derived
 * from the body's content. Writers only ever put; nothing on the write path deletes a body, so no record can point
 * at a removed one. Unreferenced bodies are left for the verifier's sweep.
 */
export interface BodyStore {
  put(key: string, body: Uint8Array): Promise<void>;
  /** The stored bytes, or null when no object has the key. */
  get(key: string): Promise<Uint8Array | null>;
}

export type BodyReader = Pick<BodyStore, 'get'>;

/**
 * The verifier's sweep of bodies no record points at (functions/verify): it deletes only the version it examined,
 * so a body put again since (a writer of the same content) survives.
 */
export const makeS3BodySweeper = (deps: { client: S3Client; bucket: string }) => ({
  async remove(key: string, versionId?: string): Promise<void> {
    await deps.client.send(
      new DeleteObjectCommand({
        Bucket: deps.bucket,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
  },
});

export const makeS3BodyStore = (deps: { client: S3Client; bucket: string }): BodyStore => {
  const Bucket = deps.bucket;
  return {
    async put(key, body) {
      await deps.client.send(
        new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: 'application/gzip' }),
      );
    },
    async get(key) {
      try {
        const out = await deps.client.send(new GetObjectCommand({ Bucket, Key: key }));
        return out.Body ? await out.Body.transformToByteArray() : null;
      } catch (error) {
        // NoSuchKey, or a bare 404 from an S3-compatible server that sends no error body.
        if (
          error instanceof NoSuchKey ||
          (error instanceof Error && /^(NoSuchKey|NotFound)$/.test(error.name))
        )
          return null;
        throw error;
      }
    },
  };
};
