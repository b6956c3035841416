import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freePort } from '../../infra/local/free-port';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { REPO_ROOT, runCli, type StartedStack, startStack } from './run-cli';

/**
 * The commands run the way a person runs them, against `npm start` on a data folder and ports that are not the
 * defaults: the banner names them, upload says what became of every input, /health reports each part and answers
 * 503 when DynamoDB Local is killed (which the log names), and an entity nobody mentions claims no match.
 */
const HealthSchema = z.object({
  status: z.enum(['ok', 'down']),
  parts: z.object({
    table: z.object({ status: z.string() }),
    bucket: z.object({ status: z.string() }),
    queue: z.object({ status: z.string() }),
    streamConsumer: z.object({ status: z.string() }),
  }),
});

describe('the commands against a running local stack', () => {
  let dir: string;
  let dataDir: string;
  let stack: StartedStack;
  let apiUrl: string;
  let s3: S3Client;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cli-stack-'));
    dataDir = join(dir, 'other-data');
    const [port, s3Port, dynamoDbPort] = [await freePort(), await freePort(), await freePort()];
    apiUrl = `http://127.0.0.1:${port}`;
    s3 = makeLocalS3Client(`http://127.0.0.1:${s3Port}`);
    stack = startStack([
      '--data-dir',
      dataDir,
      '--port',
      String(port),
      '--s3-port',
      String(s3Port),
      '--dynamodb-port',
      String(dynamoDbPort),
    ]);
    await stack.waitFor(/ready in/, 110_000);
  });
  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the banner gives the commands with this data folder, and its examples only once the seeds are in', async () => {
    const out = stack.output();
    for (const command of [
      'upload -- <files or folders>',
      'reprocess --',
      'redrive --',
      'replay -- <notification.json>',
    ])
      expect(out).toContain(`npm run ${command}`);
    expect(out.match(new RegExp(`--data-dir ${dataDir}`, 'g'))?.length).toBe(4);
    expect(out).toMatch(/^Try:$/m);
    const id = /curl -s http:\/\/127\.0\.0\.1:\d+\/articles\/([0-9a-f]{16})/.exec(out)?.[1];
    expect((await fetch(`${apiUrl}/articles/${id}`)).status).toBe(200);
  });

  it('/entities/person/nobody/articles claims no match', async () => {
    const res = await fetch(`${apiUrl}/entities/person/nobody/articles`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [], nextCursor: null });
  });

  it('upload waits for the outcomes and reports ingested, rejected by reason, skipped with why; exit 1', async () => {
    const folder = join(dir, 'batch');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'good-article.txt'),
      'Harbour town wins grant for new ferry terminal\n\nPORTREATH, 12 November 2024 - The council said on Tuesday that the harbour would get a new ferry terminal after a national grant of four million pounds. "This is a good day for the town," said Mayor Ana Ferreira.\n',
    );
    writeFileSync(
      join(folder, 'scan.pdf'),
      Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 3, 0xff, 0xfe, 0, 0, 9, 0]),
    );
    writeFileSync(join(folder, 'feed.json'), '{"title": "not an article", "items": []}\n');
    writeFileSync(join(folder, '.DS_Store'), Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));
    const run = await runCli('upload', [folder, '--data-dir', dataDir]);
    expect(run.stdout).toMatch(/^ {2}ingested 1$/m);
    expect(run.stdout).toMatch(/^ {2}rejected 2$/m);
    expect(run.stdout).toMatch(/^ {4}unsupported-format \(1\): feed\.json$/m);
    expect(run.stdout).toMatch(/^ {4}not-text \(1\): scan\.pdf$/m);
    expect(run.stdout).toMatch(/^ {2}skipped 1$/m);
    expect(run.stdout).toMatch(/^ {4}hidden file \(1\): .*\.DS_Store$/m);
    expect(run.stdout).toMatch(/^ {2}failed 0$/m);
    expect(run.code).toBe(1);

    const allowed = await runCli('upload', [folder, '--data-dir', dataDir, '--allow-rejected']);
    expect(allowed.stdout).toMatch(/^ {2}ingested 1$/m);
    expect(allowed.code).toBe(0);
  });

  it('killing DynamoDB Local: /health answers 503 within 10 s, the log names DynamoDB and the unreachable table, then it is back', async () => {
    const before = await fetch(`${apiUrl}/health`);
    expect(before.status).toBe(200);
    expect(HealthSchema.parse(await before.json()).status).toBe('ok');

    process.kill(stack.javaPid(), 'SIGKILL');
    // An upload meanwhile fails in the ingest: the log says the table is unreachable, outside any JSON.
    await s3.send(
      new PutObjectCommand({
        Bucket: 'articles',
        Key: 'during-outage.txt',
        Body: 'Outage story\n\nA short text.',
      }),
    );
    const deadline = Date.now() + 10_000;
    let down: z.infer<typeof HealthSchema> | null = null;
    while (!down && Date.now() < deadline) {
      const res = await fetch(`${apiUrl}/health`);
      if (res.status === 503) down = HealthSchema.parse(await res.json());
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(down?.parts.table.status).toBe('down');
    await stack.waitFor(
      /DynamoDB Local \(java, pid \d+\) died: killed by SIGKILL \(exit code 137\); last output: /,
      5_000,
    );
    await stack.waitFor(
      /^\S+ ingest +1 record\(s\), 0 done, 1 to retry \(\d+ ms\): the table is unreachable \(DynamoDB Local at .*ECONNREFUSED/m,
      10_000,
    );
    await stack.waitFor(/DynamoDB Local is back/, 60_000);
    const deadlineUp = Date.now() + 20_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadlineUp) {
      status = (await fetch(`${apiUrl}/health`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
  }, 90_000);
});

describe.concurrent('the commands without a running stack', () => {
  it('upload says which data folder it looked in, not ECONNREFUSED, exit 1', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cli-nostack-'));
    try {
      const run = await runCli('upload', [join(REPO_ROOT, 'seeds'), '--data-dir', dataDir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`No local stack is running on the data folder ${dataDir}`);
      expect(run.stderr).toContain('--data-dir');
      expect(run.stderr + run.stdout).not.toMatch(/ECONNREFUSED/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('upload to another endpoint with no credentials at all says none were found, not that they were refused', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cli-home-'));
    try {
      const endpoint = `http://127.0.0.1:${await freePort()}`;
      const run = await runCli(
        'upload',
        [join(REPO_ROOT, 'seeds'), '--endpoint', endpoint, '--bucket', 'b'],
        {
          HOME: home,
          AWS_ACCESS_KEY_ID: '',
          AWS_SECRET_ACCESS_KEY: '',
          AWS_SESSION_TOKEN: '',
          AWS_PROFILE: '',
          AWS_CONFIG_FILE: join(home, 'none'),
          AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`No credentials were found for ${endpoint}`);
      expect(run.stdout).not.toMatch(/refused/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('redrive with no stack data says so and creates nothing', async () => {
    const dataDir = join(tmpdir(), `cli-redrive-${process.pid}-${Date.now()}`);
    const run = await runCli('redrive', ['--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^No local stack data in .*nothing to redrive/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('reprocess says which data folder it looked in', async () => {
    const dataDir = join(tmpdir(), `cli-reprocess-${process.pid}-${Date.now()}`);
    const run = await runCli('reprocess', [], { DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`No local stack is running on the data folder ${dataDir}`);
  });
});
