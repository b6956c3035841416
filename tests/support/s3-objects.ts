import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/** A GetObject body with the SDK's stream helpers, as the real client returns in Node. */
export const s3Body = (bytes: Uint8Array) =>
  Object.assign(Readable.from([Buffer.from(bytes)]), {
    transformToByteArray: async () => bytes,
    transformToString: async () => Buffer.from(bytes).toString('utf8'),
    transformToWebStream: () => {
      throw new Error('not used');
    },
  });

/** S3's eTag of a single-part upload: the MD5 of the bytes, in hex (S3 quotes it in headers, not in events). */
export const eTagOf = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');

interface Version {
  versionId: string;
  /** null: a delete marker. */
  bytes: Uint8Array | null;
  eTag: string;
}

/**
 * A versioned bucket as a Map of key -> the current object's bytes: `set` uploads a new version, `delete` puts a
 * delete marker, `get` reads the current version. Every version keeps its own id and eTag (the MD5 of its bytes),
 * and GetObject answers as S3 does: by `VersionId` (that version, or NoSuchVersion), with `IfMatch` (412
 * PreconditionFailed when the current object's eTag differs), NoSuchKey when the key has no current object.
 */
export class FakeBucket extends Map<string, Uint8Array> {
  readonly versions = new Map<string, Version[]>();
  private counter = 0;
  override set(key: string, bytes: Uint8Array) {
    // Map's constructor calls set before the fields exist.
    if (this.versions) this.push(key, bytes);
    return super.set(key, bytes);
  }
  /** Uploads with a given eTag (a recorded event's, or a multipart upload's, which is no MD5 of the bytes). */
  putWithETag(key: string, bytes: Uint8Array, eTag: string) {
    this.push(key, bytes, eTag);
    return super.set(key, bytes);
  }
  override delete(key: string) {
    if (super.has(key)) this.push(key, null);
    return super.delete(key);
  }
  override clear() {
    this.versions.clear();
    super.clear();
  }
  private push(key: string, bytes: Uint8Array | null, eTag?: string) {
    this.counter += 1;
    const versionId = `v${String(this.counter).padStart(6, '0')}`;
    const list = this.versions.get(key) ?? [];
    list.push({ versionId, bytes, eTag: bytes ? (eTag ?? eTagOf(bytes)) : '' });
    this.versions.set(key, list);
  }
  /**
   * Permanently deletes one version (S3's DeleteObject with a VersionId): removing the delete marker on top makes
   * the version under it current again (a restore), removing the only version leaves the key without an object.
   */
  deleteVersion(key: string, versionId: string) {
    const left = (this.versions.get(key) ?? []).filter((v) => v.versionId !== versionId);
    this.versions.set(key, left);
    const bytes = left.at(-1)?.bytes;
    if (bytes) super.set(key, bytes);
    else super.delete(key);
  }
  /** The current version of a key (undefined when it has none, or its current version is a delete marker). */
  current(key: string): Version | undefined {
    const last = this.versions.get(key)?.at(-1);
    return last?.bytes ? last : undefined;
  }
  /** The current object's eTag (unquoted, as S3 events carry it). */
  eTag(key: string): string | undefined {
    return this.current(key)?.eTag;
  }
  /** The current version's id (or the delete marker's). */
  versionId(key: string): string | undefined {
    return this.versions.get(key)?.at(-1)?.versionId;
  }
}

const s3Error = (name: string, status: number, message: string) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });

/** Backs a mocked S3Client with a FakeBucket (one bucket, whatever the Bucket parameter says). */
export const installFakeBucket = (s3: AwsClientStub<S3Client>): FakeBucket => {
  const bucket = new FakeBucket();
  s3.on(GetObjectCommand).callsFake((input: { Key: string; VersionId?: string; IfMatch?: string }) => {
    let version: Version | undefined;
    if (input.VersionId !== undefined) {
      version = bucket.versions.get(input.Key)?.find((v) => v.versionId === input.VersionId);
      if (!version) throw s3Error('NoSuchVersion', 404, 'The specified version does not exist.');
      if (!version.bytes)
        throw s3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.');
    } else {
      version = bucket.current(input.Key);
      if (!version) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
      if (input.IfMatch !== undefined && input.IfMatch.replace(/"/g, '') !== version.eTag)
        throw s3Error(
          'PreconditionFailed',
          412,
          'At least one of the pre-conditions you specified did not hold',
        );
    }
    const bytes = version.bytes ?? new Uint8Array();
    return {
      Body: s3Body(bytes),
      ContentLength: bytes.byteLength,
      ETag: `"${version.eTag}"`,
      VersionId: version.versionId,
    };
  });
  return bucket;
};
