import { finished, Readable } from 'node:stream';
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { bareETag } from '../store/record';

export type FetchedObject =
  | { kind: 'object'; bytes: Uint8Array; size: number; eTag?: string; versionId?: string }
  | { kind: 'gone' }
  /** The key holds another object than the event's: a newer event of the key decides, not this one. */
  | { kind: 'changed' }
  | { kind: 'too-large'; size: number };

/** Which object to read: the event's version, or the event's eTag as a precondition, or (neither) the current one. */
export interface ObjectRef {
  bucket: string;
  key: string;
  versionId?: string | undefined;
  eTag?: string | undefined;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<Uint8Array> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

const destroy = (body: unknown) => {
  if (typeof body === 'object' && body !== null && 'destroy' in body && typeof body.destroy === 'function')
    body.destroy();
};

/**
 * Reads the object the event is about, so that a redelivery writes what its own event uploaded and never a newer
 * object under an older sequencer (the audit's D1): by `versionId` in a versioned bucket, else with the event's
 * eTag as `IfMatch` (412: the key was overwritten since, and its newer event will say so). The eTag is also
 * compared on the answer, for S3 stand-ins that ignore IfMatch. Without either (a reprocess, or the removal of a
 * delete marker, which restores an older version) it reads the current object.
 *
 * Never holds more than maxBytes + one chunk in memory: the declared length is checked first, and the stream is
 * abandoned as soon as it runs past the limit (a length may be missing or wrong).
 */
export const fetchObject = async (s3: S3Client, ref: ObjectRef, maxBytes: number): Promise<FetchedObject> => {
  let out: GetObjectCommandOutput;
  const wanted = ref.versionId === undefined && ref.eTag ? bareETag(ref.eTag) : undefined;
  try {
    out = await s3.send(
      new GetObjectCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        ...(ref.versionId !== undefined ? { VersionId: ref.versionId } : {}),
        ...(wanted ? { IfMatch: `"${wanted}"` } : {}),
      }),
    );
  } catch (error) {
    // Deleted (or overwritten by a delete) between the event and now: the object is gone.
    if (error instanceof Error && /^(NoSuchKey|NoSuchVersion|NotFound)$/.test(error.name))
      return { kind: 'gone' };
    if (error instanceof Error && error.name === 'PreconditionFailed') return { kind: 'changed' };
    throw error;
  }
  if (wanted && out.ETag && bareETag(out.ETag) !== wanted) {
    destroy(out.Body);
    return { kind: 'changed' };
  }
  const extra = {
    ...(out.ETag ? { eTag: bareETag(out.ETag) } : {}),
    ...(out.VersionId ? { versionId: out.VersionId } : {}),
  };
  if (out.ContentLength !== undefined && out.ContentLength > maxBytes) {
    destroy(out.Body);
    return { kind: 'too-large', size: out.ContentLength };
  }
  const read =
    out.Body instanceof Readable
      ? await readNodeStream(out.Body, maxBytes)
      : isAsyncIterable(out.Body)
        ? await readIterable(out.Body, maxBytes)
        : ({ kind: 'bytes', bytes: new Uint8Array() } as const);
  if (read.kind === 'too-large') return read;
  return { kind: 'object', bytes: read.bytes, size: read.bytes.byteLength, ...extra };
};

type Read = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'too-large'; size: number };

const joined = (chunks: Uint8Array[], size: number): Uint8Array => {
  const buffer = Buffer.concat(chunks, size);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};

/**
 * A Node stream (what the SDK returns in Lambda) read with 'data' events: one promise per object. `for await`
 * made an async iterator and a promise per chunk, which cost more than the rest of the read (measured).
 */
const readNodeStream = (body: Readable, maxBytes: number): Promise<Read> =>
  new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let settled = false;
    const settle = (read: Read | Error) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      stop();
      if (read instanceof Error) reject(read);
      else resolve(read);
    };
    const onData = (piece: Uint8Array | string) => {
      const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
      size += bytes.byteLength;
      if (size > maxBytes) {
        settle({ kind: 'too-large', size });
        body.destroy();
        return;
      }
      chunks.push(bytes);
    };
    // `finished` reports an error or a premature close (a connection cut mid-body) as an error, like `for await`.
    const stop = finished(body, (error) => settle(error ?? { kind: 'bytes', bytes: joined(chunks, size) }));
    body.on('data', onData);
  });

const readIterable = async (body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Read> => {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const piece of body) {
    size += piece.byteLength;
    if (size > maxBytes) {
      destroy(body);
      return { kind: 'too-large', size };
    }
    chunks.push(piece);
  }
  return { kind: 'bytes', bytes: joined(chunks, size) };
};
