import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleIdForKey } from '../../functions/core/article';
import { ReplayFileError, replayBodies } from '../../infra/local/replay-file';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
/** `npm run replay` as a person runs it: the CLI in a child process, its output and exit code. */
const replay = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--openssl-legacy-provider', '--import', 'tsx', 'infra/local/replay.ts', ...args],
      { cwd: ROOT, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

const notification = (eventName: string, key: string, sequencer: string, bucket = 'prod-uploads-1a2b') => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      eventName,
      eventTime: '2026-12-07T10:00:00.000Z',
      s3: { bucket: { name: bucket }, object: { key: encodeURIComponent(key), sequencer } },
    },
  ],
});

describe('what `npm run replay` accepts', () => {
  const n = notification('ObjectCreated:Put', 'a b.txt', '0062E9A1B2');
  it('an S3 notification, an SQS message, a ReceiveMessage answer, a Lambda SQS event, or an array of them', () => {
    const bodies = (text: unknown) => replayBodies(JSON.stringify(text), 'articles').bodies.length;
    expect(bodies(n)).toBe(1);
    expect(bodies({ Body: JSON.stringify(n) })).toBe(1);
    expect(bodies({ Messages: [{ Body: JSON.stringify(n) }, { Body: JSON.stringify(n) }] })).toBe(2);
    expect(bodies({ Records: [{ body: JSON.stringify(n), eventSource: 'aws:sqs' }] })).toBe(1);
    expect(bodies([n, { Event: 's3:TestEvent' }])).toBe(2);
  });

  it('renames the bucket to the local one and says which it was', () => {
    const { bodies, buckets } = replayBodies(JSON.stringify(n), 'articles');
    expect(buckets).toEqual(['prod-uploads-1a2b']);
    expect(JSON.parse(bodies[0] ?? '{}').Records[0].s3.bucket.name).toBe('articles');
  });

  it('refuses what is not a notification, with one line', () => {
    for (const text of ['not json', '{}', '{"Records": []}', '{"Body": "{oops"}', '[]']) {
      expect(() => replayBodies(text, 'articles')).toThrow(ReplayFileError);
      const message = (() => {
        try {
          replayBodies(text, 'articles');
        } catch (error) {
          return (error as Error).message;
        }
        return '';
      })();
      expect(message).not.toContain('\n');
    }
  });
});

describe('npm run replay against the local stack', () => {
  let dataDir: string;
  let stack: LocalStack;
  let file: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'replay-'));
    file = join(dataDir, 'captured.json');
    stack = await startLocalStack({ dataDir, seedsDir: null });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('two notifications with sequencers of different lengths end in the newer one, by the right-pad rule', async () => {
    const key = 'replayed/story.txt';
    const s3 = makeLocalS3Client(stack.s3Endpoint);
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.bucket,
        Key: key,
        Body: 'Harbour wall repaired\n\nWorkers finished repairing the old harbour wall on Tuesday, the council said.',
      }),
    );
    s3.destroy();
    await stack.waitForIdle();
    // Above the local bridge's own sequencers. Right-padded, the 16-digit delete (...A200) is newer than the
    // 18-digit create (...A1FF); left-padded it would be the other way round.
    writeFileSync(
      file,
      JSON.stringify([
        notification('ObjectRemoved:Delete', key, 'FFFF0000000000A2'),
        notification('ObjectCreated:Put', key, 'FFFF0000000000A1FF'),
      ]),
    );
    const out = await replay(file, '--data-dir', dataDir);
    expect(out).toMatchObject({ code: 0 });
    expect(out.stdout).toContain('Sent 2 notification(s)');
    expect(out.stdout).toContain('replayed as the local bucket');
    await stack.waitForIdle();
    const outcome = await (await fetch(`${stack.apiUrl}/uploads/${key}`)).json();
    expect(outcome).toMatchObject({ status: 'deleted', sequencer: 'FFFF0000000000A2'.padEnd(32, '0') });
    expect((await fetch(`${stack.apiUrl}/articles/${articleIdForKey(key)}`)).status).toBe(404);
  });

  it('a file that is not a notification: one line, exit 1; misuse: exit 2; --help: exit 0', async () => {
    writeFileSync(file, '{"hello": "world"}');
    const bad = await replay(file, '--data-dir', dataDir);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('not an S3 event notification');
    expect((await replay('--nope')).code).toBe(2);
    expect((await replay()).code).toBe(2);
    const help = await replay('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--data-dir');
  });
});
