import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { CurrentState } from './write-plan';

/**
 * Where an article body lives when it does not fit its table item (DynamoDB's 400 KB): an object in a bucket of
 * the stack's own, never the upload bucket (whose notifications would fire), with the key in the item's `bodyKey`.
 *
 * One object per event: `bodies/<article id>/<padded S3 sequencer>.json.gz`. A retry or a redelivery of an event
 * puts the same bytes under the same key, and no other event ever names that key, so removing the body of a
 * replaced version can never hit a body another item points to (a key per content hash could be put again by a
 * newer event just as an older writer removes it). See ./article-writer.ts for when bodies are put and removed.
 */
export interface BodyStore {
  put(key: string, body: Uint8Array): Promise<void>;
  /** The stored bytes, or null when no object has the key. */
  get(key: string): Promise<Uint8Array | null>;
  remove(key: string): Promise<void>;
}

export type BodyReader = Pick<BodyStore, 'get'>;

export { bodyKeyFor } from './body-keys';

export const makeS3BodyStore = (deps: { client: S3Client; bucket: string }): BodyStore => {
  const Bucket = deps.bucket;
  return {
    async put(key, body) {
      await deps.client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: body,
          ContentType: 'application/gzip',
        }),
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
    async remove(key) {
      await deps.client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
  };
};

type Overflow = { key: string; body: Uint8Array } | null | undefined;

/**
 * The body bucket's side of a write (keys per event, see ./article-body.ts). A body is put before the item that
 * points to it, so no item ever points to a missing body; a retry puts the same bytes under the same key. The
 * body of a replaced or deleted version is removed after the item no longer points to it. A crash between the two
 * leaves an unreferenced object (storage only, never a wrong answer); a failed removal is left the same way
 * rather than failing a record whose outcome is already recorded.
 */
export const bodyKeeper = (store: BodyStore | undefined) => {
  const removeQuietly = async (key: string) => {
    try {
      await store?.remove(key);
    } catch {
      // left unreferenced: see above
    }
  };
  return {
    async put(overflow: Overflow) {
      if (overflow && store) await store.put(overflow.key, overflow.body);
    },
    /** The write went through: the previous version's body, if it had another, is no longer pointed to. */
    async replaced(before: CurrentState, after: { bodyKey?: string } | null) {
      const old = before.article?.bodyKey;
      if (old && old !== after?.bodyKey) await removeQuietly(old);
    },
    /**
     * A stale event never writes its item, and no later write names its key; its body (put by this call, or by an
     * attempt that died before its item write) is removed unless the stored item points to it (a newer upload
     * with unchanged content keeps the older body).
     */
    async discard(overflow: Overflow, current: CurrentState) {
      if (overflow && current.article?.bodyKey !== overflow.key) await removeQuietly(overflow.key);
    },
  };
};
