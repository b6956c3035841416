import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { fetchObject } from '../../functions/ingest/fetch-object';

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

/** A GetObject answer whose body is the given stream (the SDK's helpers are not used by fetchObject). */
const answer = (Body: unknown, ContentLength?: number) =>
  s3Mock.on(GetObjectCommand).resolves({ Body, ContentLength, ETag: '"abc"' } as never);

const chunks = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));

beforeEach(() => s3Mock.reset());

describe('fetchObject', () => {
  it('joins every chunk of the body and keeps the ETag without quotes', async () => {
    answer(chunks('Hello, ', 'wide ', 'world'));
    const got = await fetchObject(s3, { bucket: 'b', key: 'k' }, 100);
    expect(got).toMatchObject({ kind: 'object', size: 17, eTag: 'abc' });
    expect(got.kind === 'object' && Buffer.from(got.bytes).toString()).toBe('Hello, wide world');
  });

  it('refuses by the declared length without reading, and releases the body', async () => {
    const body = chunks('x'.repeat(10));
    answer(body, 500);
    expect(await fetchObject(s3, { bucket: 'b', key: 'k' }, 100)).toEqual({ kind: 'too-large', size: 500 });
    expect(body.destroyed).toBe(true);
  });

  it('stops reading as soon as a body without a length runs past the limit', async () => {
    let pulled = 0;
    const body = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(40, 'a'));
      },
    });
    answer(body);
    expect(await fetchObject(s3, { bucket: 'b', key: 'k' }, 100)).toEqual({ kind: 'too-large', size: 120 });
    expect(body.destroyed).toBe(true);
    expect(pulled).toBeLessThan(10);
  });

  it('fails (so the record is retried) when the body breaks or is cut short', async () => {
    const broken = new Readable({ read() {} });
    answer(broken);
    const pending = fetchObject(s3, { bucket: 'b', key: 'k' }, 100);
    broken.push(Buffer.from('partial'));
    broken.destroy(new Error('socket hang up'));
    await expect(pending).rejects.toThrow('socket hang up');

    const cut = new Readable({ read() {} });
    answer(cut);
    const cutShort = fetchObject(s3, { bucket: 'b', key: 'k' }, 100);
    cut.push(Buffer.from('partial'));
    cut.destroy();
    await expect(cutShort).rejects.toThrow(/premature close/i);
  });

  it('reads an async-iterable body that is not a Node stream', async () => {
    async function* parts() {
      yield new TextEncoder().encode('one ');
      yield new TextEncoder().encode('two');
    }
    answer(parts());
    const got = await fetchObject(s3, { bucket: 'b', key: 'k' }, 100);
    expect(got.kind === 'object' && Buffer.from(got.bytes).toString()).toBe('one two');
  });

  it('says the object is gone when S3 answers NoSuchKey', async () => {
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    expect(await fetchObject(s3, { bucket: 'b', key: 'k' }, 100)).toEqual({ kind: 'gone' });
  });

  it('reads the version an event names, by versionId, with no IfMatch', async () => {
    answer(chunks('v1 text'));
    await fetchObject(s3, { bucket: 'b', key: 'k', versionId: 'v1', eTag: 'abc' }, 100);
    expect(s3Mock.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'b',
      Key: 'k',
      VersionId: 'v1',
    });
  });

  it("reads with the event's eTag as IfMatch, and says 'changed' on 412 (the key was overwritten since)", async () => {
    s3Mock.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: 'PreconditionFailed',
        $fault: 'client',
        $metadata: {},
        message: '412',
      }),
    );
    expect(await fetchObject(s3, { bucket: 'b', key: 'k', eTag: 'abc' }, 100)).toEqual({ kind: 'changed' });
    expect(s3Mock.commandCalls(GetObjectCommand)[0]?.args[0].input).toMatchObject({ IfMatch: '"abc"' });
  });

  it("says 'changed' when a store that ignores IfMatch (s3rver) answers with another object's ETag, and releases its body", async () => {
    const body = chunks('newer object');
    s3Mock.on(GetObjectCommand).resolves({ Body: body, ETag: '"other"' } as never);
    expect(await fetchObject(s3, { bucket: 'b', key: 'k', eTag: '"abc"' }, 100)).toEqual({ kind: 'changed' });
    expect(body.destroyed).toBe(true);
  });

  it('says the version is gone when S3 answers NoSuchVersion', async () => {
    s3Mock
      .on(GetObjectCommand)
      .rejects(
        new S3ServiceException({ name: 'NoSuchVersion', $fault: 'client', $metadata: {}, message: 'gone' }),
      );
    expect(await fetchObject(s3, { bucket: 'b', key: 'k', versionId: 'v9' }, 100)).toEqual({ kind: 'gone' });
  });
});
