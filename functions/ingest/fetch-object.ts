import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';

export type FetchedObject =
  | { kind: 'object'; bytes: Uint8Array; size: number; eTag?: string; versionId?: string }
  | { kind: 'gone' }
  | { kind: 'too-large'; size: number };

const isAsyncIterable = (value: unknown): value is AsyncIterable<Uint8Array> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

const destroy = (body: unknown) => {
  if (typeof body === 'object' && body !== null && 'destroy' in body && typeof body.destroy === 'function')
    body.destroy();
};

/**
 * Reads the object's CURRENT content. Not the event's version: the newest sequencer wins in the store anyway, and
 * reading what is there now is what makes the table converge on the bucket.
 *
 * Never holds more than maxBytes + one chunk in memory: the declared length is checked first, and the stream is
 * abandoned as soon as it runs past the limit (a length may be missing or wrong).
 */
export const fetchObject = async (
  s3: S3Client,
  bucket: string,
  key: string,
  maxBytes: number,
): Promise<FetchedObject> => {
  let out: GetObjectCommandOutput;
  try {
    out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    // Deleted (or overwritten by a delete) between the event and now: the object is gone.
    if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound'))
      return { kind: 'gone' };
    throw error;
  }
  const extra = {
    ...(out.ETag ? { eTag: out.ETag.replace(/"/g, '') } : {}),
    ...(out.VersionId ? { versionId: out.VersionId } : {}),
  };
  if (out.ContentLength !== undefined && out.ContentLength > maxBytes) {
    destroy(out.Body);
    return { kind: 'too-large', size: out.ContentLength };
  }
  if (!isAsyncIterable(out.Body)) return { kind: 'object', bytes: new Uint8Array(), size: 0, ...extra };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const piece of out.Body) {
    size += piece.byteLength;
    if (size > maxBytes) {
      destroy(out.Body);
      return { kind: 'too-large', size };
    }
    chunks.push(piece);
  }
  return { kind: 'object', bytes: new Uint8Array(Buffer.concat(chunks)), size, ...extra };
};
