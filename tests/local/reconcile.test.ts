import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysInMessages, reconcileBucket } from '../../infra/local/reconcile';
import { type S3Local, startS3Local } from '../../infra/local/s3-local';
import { buildS3NotificationRecord, buildS3TestEvent } from '../../infra/local/s3-notification';

describe('start-up reconciliation', () => {
  let dir: string;
  let s3: S3Local;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reconcile-test-'));
    s3 = await startS3Local({ directory: dir, buckets: ['r'] });
    for (const Key of ['done.txt', 'queued one.txt', 'lost.txt', 'dir/lost too.txt'])
      await s3.client.send(new PutObjectCommand({ Bucket: 'r', Key, Body: Key }));
  });
  afterAll(async () => {
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-notifies exactly the objects with no outcome and no waiting message', async () => {
    const notified: string[] = [];
    const missing = await reconcileBucket({
      s3: s3.client,
      bucket: 'r',
      hasOutcome: async (key) => key === 'done.txt',
      pendingKeys: new Set(['queued one.txt']),
      notifyCreated: (key) => notified.push(key),
    });
    expect(missing.sort()).toEqual(['dir/lost too.txt', 'lost.txt']);
    expect(notified.sort()).toEqual(missing.sort());
  });

  it('reads the decoded keys out of queued notifications and skips test events', () => {
    const record = buildS3NotificationRecord({
      bucket: 'r',
      key: 'queued one+two.txt',
      eventName: 'ObjectCreated:Put',
      sequencer: '01',
    });
    const keys = keysInMessages([
      { body: JSON.stringify({ Records: [record] }) },
      { body: JSON.stringify(buildS3TestEvent('r')) },
      { body: 'not json' },
    ]);
    expect([...keys]).toEqual(['queued one+two.txt']);
  });
});
