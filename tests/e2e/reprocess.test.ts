import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleIdForKey } from '../../functions/core/article';
import { keys } from '../../functions/store/keys';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { HARBOUR_ARTICLE, LIBRARY_ARTICLE } from './articles';

/**
 * `npm run reprocess` against a running local stack, as a user runs it: a separate process finds the stack
 * through its data folder, the stack lists s3rver and feeds its own queue, and the command prints the tally.
 */
const REPO = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);

describe('npm run reprocess on the local stack', () => {
  let dataDir: string;
  let stack: LocalStack;
  let s3: S3Client;
  let doc: DynamoDBDocumentClient;

  const put = (key: string, body: string | Buffer) =>
    s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
  const outcome = async (key: string) => {
    const res = await fetch(`${stack.apiUrl}/uploads/${key.split('/').map(encodeURIComponent).join('/')}`);
    return { status: res.status, body: await res.json() };
  };
  /**
   * As if the object's notification had been lost (or the object was there before the stack): its record goes,
   * and the derive consumer removes what it derived.
   */
  const forgetOutcome = async (key: string) => {
    await doc.send(new DeleteCommand({ TableName: stack.tableName, Key: keys.record(articleIdForKey(key)) }));
    await stack.waitForIdle();
  };
  const reprocess = async (...args: string[]) => {
    const { stdout } = await exec(
      process.execPath,
      [
        '--openssl-legacy-provider',
        '--import',
        'tsx',
        'infra/local/reprocess.ts',
        '--data-dir',
        dataDir,
        ...args,
      ],
      { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 },
    );
    const tally = stdout.split('\n').find((line) => line.startsWith('Reprocess local-')) ?? stdout;
    return tally.replace(/^Reprocess local-\S+: /, '');
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'reprocess-e2e-'));
    stack = await startLocalStack({ dataDir, seedsDir: null });
    s3 = makeLocalS3Client(stack.s3Endpoint);
    doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.dynamoDbEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    await put('news/harbour.txt', HARBOUR_ARTICLE);
    await put('news/library.txt', LIBRARY_ARTICLE);
    await put('news/empty.txt', Buffer.alloc(0));
    await put('other/harbour copy.txt', HARBOUR_ARTICLE);
    await stack.waitForIdle();
  }, 180_000);
  afterAll(async () => {
    s3?.destroy();
    doc?.destroy();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('ingests the objects that have no outcome, leaves the rest, and ends with a tally', async () => {
    await forgetOutcome('news/harbour.txt');
    await forgetOutcome('other/harbour copy.txt');
    expect((await outcome('news/harbour.txt')).status).toBe(404);
    const tally = await reprocess();
    expect(tally).toBe('listed 4, re-stored 2, unchanged 1, rejected 1, failed 0');
    for (const key of ['news/harbour.txt', 'other/harbour copy.txt'])
      expect((await outcome(key)).body).toMatchObject({
        status: 'ingested',
        articleId: articleIdForKey(key),
      });
  }, 180_000);

  it('a second run re-stores nothing', async () => {
    expect(await reprocess()).toBe('listed 4, re-stored 0, unchanged 3, rejected 1, failed 0');
  }, 180_000);

  it('keeps to the prefix, and an object deleted since the listing is not an error', async () => {
    await forgetOutcome('news/library.txt');
    expect(await reprocess('--prefix', 'news/')).toBe(
      'listed 3, re-stored 1, unchanged 1, rejected 1, failed 0',
    );
    await s3.send(new DeleteObjectCommand({ Bucket: stack.bucket, Key: 'news/library.txt' }));
    await stack.waitForIdle();
    expect(await reprocess('--prefix', 'news/')).toBe(
      'listed 2, re-stored 0, unchanged 1, rejected 1, failed 0',
    );
  }, 180_000);
});
