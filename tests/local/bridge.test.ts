import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Bridge, startBridge } from '../../infra/local/bridge';
import { makeLocalS3Client, type S3Local, startS3Local } from '../../infra/local/s3-local';
import { makeSequencer } from '../../infra/local/sequencer';

const BUCKET = 'bridge-test';
const OTHER_BUCKET = 'bridge-other';

const BodySchema = z.object({
  Records: z.array(
    z.object({
      eventVersion: z.string(),
      eventName: z.string(),
      s3: z.object({
        bucket: z.object({ name: z.string(), arn: z.string() }),
        object: z.object({
          key: z.string(),
          size: z.number().optional(),
          eTag: z.string().optional(),
          sequencer: z.string(),
        }),
      }),
    }),
  ),
});

describe('bridge: s3rver events -> S3 notifications as real S3 sends them', () => {
  let dir: string;
  let s3: S3Local;
  let bridge: Bridge;
  const bodies: string[] = [];
  const records = () => bodies.flatMap((b) => BodySchema.parse(JSON.parse(b)).Records);
  const settle = async (count: number) => {
    const deadline = Date.now() + 5000;
    while ((bodies.length < count || bridge.pending() > 0) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-test-'));
    s3 = await startS3Local({ directory: dir, buckets: [BUCKET, OTHER_BUCKET] });
    bridge = startBridge({
      bucket: BUCKET,
      server: s3.server,
      s3: s3.client,
      sequencer: makeSequencer(),
      send: (body) => bodies.push(body),
      onError: (error) => {
        throw error;
      },
    });
  });
  afterAll(async () => {
    await bridge.stop();
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts, copies and deletes become ObjectCreated/ObjectRemoved with encoded keys and rising sequencers', async () => {
    bodies.length = 0;
    const key = 'in/a b+c é.txt';
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'hello world' }));
    // s3rver decodes x-amz-copy-source with decodeURI, which leaves %2B alone, so copy from a plain key.
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'plain.txt', Body: 'hello world' }));
    await s3.client.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy.txt', CopySource: `${BUCKET}/plain.txt` }),
    );
    await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    await settle(4);
    const [put, , copy, removed] = records();
    expect(put).toMatchObject({
      eventVersion: '2.1',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}` },
        object: { key: 'in/a+b%2Bc+%C3%A9.txt', size: 11, eTag: '5eb63bbbe01eeed093cb22bb8f5acdc3' },
      },
    });
    expect(copy).toMatchObject({
      eventName: 'ObjectCreated:Copy',
      s3: { object: { key: 'copy.txt', size: 11 } },
    });
    expect(copy?.s3.object.eTag).toBe('5eb63bbbe01eeed093cb22bb8f5acdc3');
    expect(removed?.eventName).toBe('ObjectRemoved:Delete');
    expect(removed?.s3.object).toEqual({ key: 'in/a+b%2Bc+%C3%A9.txt', sequencer: expect.any(String) });
    const sequencers = records().map((r) => r.s3.object.sequencer);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(4);
  });

  it("forwards only the stack's bucket: an object elsewhere under the same key never shadows an article", async () => {
    bodies.length = 0;
    await s3.client.send(new PutObjectCommand({ Bucket: OTHER_BUCKET, Key: 'same.txt', Body: 'elsewhere' }));
    await s3.client.send(new DeleteObjectCommand({ Bucket: OTHER_BUCKET, Key: 'same.txt' }));
    await s3.client.send(
      new DeleteObjectsCommand({ Bucket: OTHER_BUCKET, Delete: { Objects: [{ Key: 'gone.txt' }] } }),
    );
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'same.txt', Body: 'the article' }));
    await settle(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(records().map((r) => `${r.eventName} ${r.s3.bucket.name}/${r.s3.object.key}`)).toEqual([
      `ObjectCreated:Put ${BUCKET}/same.txt`,
    ]);
  });

  it('notifies every key of a multi-object delete (s3rver itself emits nothing for those)', async () => {
    const before = bodies.length;
    for (const key of ['m/1.txt', 'm/2.txt'])
      await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
    await settle(before + 2);
    bodies.length = 0;
    await s3.client.send(
      new DeleteObjectsCommand({
        Bucket: BUCKET,
        Delete: { Objects: [{ Key: 'm/1.txt' }, { Key: 'm/2.txt' }] },
      }),
    );
    await settle(2);
    expect(
      records()
        .map((r) => `${r.eventName} ${r.s3.object.key}`)
        .sort(),
    ).toEqual(['ObjectRemoved:Delete m/1.txt', 'ObjectRemoved:Delete m/2.txt']);
  });

  it('names a completed multipart upload as S3 does', async () => {
    bodies.length = 0;
    const { UploadId } = await s3.client.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'big.txt' }),
    );
    const part = await s3.client.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: 'big.txt', UploadId, PartNumber: 1, Body: 'one part' }),
    );
    await s3.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'big.txt',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    await settle(1);
    expect(records()).toMatchObject([
      { eventName: 'ObjectCreated:CompleteMultipartUpload', s3: { object: { key: 'big.txt', size: 8 } } },
    ]);
  });

  it('describes what is stored when writes to one key overlap', async () => {
    bodies.length = 0;
    await Promise.all(
      ['first version', 'second, longer version', 'third'].map((Body) =>
        s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'race.txt', Body })),
      ),
    );
    await settle(3);
    const last = records().at(-1);
    const stored = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'race.txt' }));
    expect(last?.s3.object.eTag).toBe(stored.ETag?.replaceAll('"', ''));
    expect(last?.s3.object.size).toBe(stored.ContentLength);
  });
});

describe('bridge: a HeadObject that keeps failing', () => {
  it('still notifies the creation, with the values s3rver reported, and reports the failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-head-'));
    const s3 = await startS3Local({ directory: dir, buckets: [BUCKET] });
    // The bridge's own client answers every HeadObject with a 500; the test's uploads use the real client.
    const failing = makeLocalS3Client(s3.endpoint);
    const mock = mockClient(failing);
    mock.on(HeadObjectCommand).rejects(
      Object.assign(new Error('We encountered an internal error'), {
        name: 'InternalError',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    const bodies: string[] = [];
    const errors: unknown[] = [];
    const bridge = startBridge({
      bucket: BUCKET,
      server: s3.server,
      s3: failing,
      sequencer: makeSequencer(),
      send: (body) => bodies.push(body),
      onError: (error) => errors.push(error),
    });
    try {
      await s3.client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'head fails.txt', Body: 'some text' }),
      );
      const deadline = Date.now() + 5000;
      while ((bodies.length < 1 || bridge.pending() > 0) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      const [record] = bodies.flatMap((b) => BodySchema.parse(JSON.parse(b)).Records);
      expect(record?.eventName).toBe('ObjectCreated:Put');
      expect(record?.s3.object.key).toBe('head+fails.txt');
      expect(record?.s3.object.size).toBe('some text'.length);
      expect(mock.commandCalls(HeadObjectCommand).length).toBe(3);
      expect(errors).toHaveLength(1);
      expect(String(errors[0])).toMatch(/HeadObject head fails\.txt failed/);
    } finally {
      mock.restore();
      await bridge.stop();
      await s3.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
