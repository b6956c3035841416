import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { articleIdForKey } from '../../functions/core/article';
import { freePort } from '../../infra/local/free-port';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { listTexts } from './corpus-files';
import { median, percentile, round } from './stats';

/**
 * End-to-end bench of `npm start`:
 * - cold start: a fresh child process running infra/local/main.ts with --fresh on free ports, timed from spawn
 *   until GET /health answers 200 (target: within 15 s);
 * - upload to queryable: corpus articles (read where they lie, never copied) put one at a time under new keys,
 *   each timed from the PutObject call until GET /articles/{id} answers 200 (target: median within 1 s);
 * - burst: the same number put at once, timed until the last is queryable (throughput, no target).
 * The stack under test is the spawned child, so the figures include the real process boundaries.
 */
const REPO = resolve(import.meta.dirname, '../..');
const MAIN = join(REPO, 'infra/local/main.ts');

/** Every n-th file, so a small sample still spans the corpus's sections. */
const sample = (paths: string[], count: number) => {
  if (paths.length <= count) return paths;
  const step = paths.length / count;
  return Array.from({ length: count }, (_, i) => paths[Math.floor(i * step)] ?? '').filter(Boolean);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Child {
  process: ChildProcess;
  apiUrl: string;
  s3Endpoint: string;
  dataDir: string;
  startMs: number;
}

const waitForHealth = async (apiUrl: string, child: ChildProcess, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with code ${child.exitCode}`);
    const ok = await fetch(`${apiUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(25);
  }
  throw new Error(`no answer from ${apiUrl}/health within ${timeoutMs} ms`);
};

const startChild = async (dataDir: string): Promise<Child> => {
  const [port, s3Port, dynamoDbPort] = [await freePort(), await freePort(), await freePort()];
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      'tsx',
      MAIN,
      '--fresh',
      `--port=${port}`,
      `--s3-port=${s3Port}`,
      `--dynamodb-port=${dynamoDbPort}`,
      `--data-dir=${dataDir}`,
    ],
    { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const apiUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(apiUrl, child, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { process: child, apiUrl, s3Endpoint: `http://127.0.0.1:${s3Port}`, dataDir, startMs };
};

const stopChild = (child: Child) =>
  new Promise<void>((done) => {
    if (child.process.exitCode !== null) return done();
    const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
    child.process.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.process.kill('SIGTERM');
  });

const waitQueryable = async (apiUrl: string, id: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${apiUrl}/articles/${id}`);
    await res.arrayBuffer();
    if (res.status === 200) return;
    await sleep(5);
  }
  throw new Error(`article ${id} not queryable within ${timeoutMs} ms`);
};

const putTimed = async (s3: S3Client, child: Child, key: string, body: Buffer) => {
  const started = process.hrtime.bigint();
  await s3.send(new PutObjectCommand({ Bucket: 'articles', Key: key, Body: body }));
  await waitQueryable(child.apiUrl, articleIdForKey(key));
  return Number(process.hrtime.bigint() - started) / 1e6;
};

export async function benchE2e(opts: {
  corpusDir: string | null;
  seedsDir: string;
  count?: number;
  coldStarts?: number;
}): Promise<object> {
  const count = opts.count ?? 30;
  const pool = opts.corpusDir ? listTexts(opts.corpusDir) : listTexts(opts.seedsDir);
  if (pool.length === 0) throw new Error('no articles to upload');
  const files = opts.corpusDir ? sample(pool, count * 2) : pool;
  const pick = (i: number) => readFileSync(files[i % files.length] ?? '');

  const coldStartMs: number[] = [];
  const root = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
  try {
    let child: Child | null = null;
    for (let run = 0; run < (opts.coldStarts ?? 3); run++) {
      if (child) await stopChild(child);
      child = await startChild(join(root, 'data'));
      coldStartMs.push(child.startMs);
    }
    if (!child) throw new Error('no cold start ran');
    const s3 = makeLocalS3Client(child.s3Endpoint);
    const runId = Date.now().toString(36);
    try {
      // Let the seed ingestion finish so it does not count against the first upload.
      await sleep(3000);
      const latencies: number[] = [];
      for (let i = 0; i < count; i++)
        latencies.push(await putTimed(s3, child, `bench/${runId}/one-${i}.txt`, pick(i)));

      const burstStarted = process.hrtime.bigint();
      const burstKeys = Array.from({ length: count }, (_, i) => `bench/${runId}/burst-${i}.txt`);
      await Promise.all(
        burstKeys.map((Key, i) =>
          s3.send(new PutObjectCommand({ Bucket: 'articles', Key, Body: pick(count + i) })),
        ),
      );
      for (const key of burstKeys) await waitQueryable(child.apiUrl, articleIdForKey(key), 120_000);
      const burstMs = Number(process.hrtime.bigint() - burstStarted) / 1e6;

      return {
        coldStart: {
          what: 'spawn of infra/local/main.ts --fresh (seeds on) until GET /health is 200',
          runs: coldStartMs.map((ms) => round(ms, 0)),
          medianMs: round(median(coldStartMs), 0),
          maxMs: round(Math.max(...coldStartMs), 0),
          target: 'first request within 15000 ms',
          met: Math.max(...coldStartMs) <= 15_000,
        },
        uploadToQueryable: {
          what: 'PutObject start until GET /articles/{id} is 200, one upload at a time',
          source: opts.corpusDir ? 'corpus' : 'seeds',
          count,
          p50Ms: round(median(latencies), 0),
          p95Ms: round(percentile(latencies, 95), 0),
          maxMs: round(Math.max(...latencies), 0),
          target: 'median within 1000 ms',
          met: median(latencies) <= 1000,
        },
        burst: {
          what: `${count} uploads at once until the last is queryable`,
          totalMs: round(burstMs, 0),
          articlesPerSecond: round(count / (burstMs / 1000), 1),
        },
      };
    } finally {
      s3.destroy();
      await stopChild(child);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const corpus = process.argv[2] ?? '/work/shared/corpus/bbc';
  benchE2e({
    corpusDir: corpus === 'none' ? null : corpus,
    seedsDir: join(REPO, 'seeds'),
    ...(process.argv[3] ? { count: Number(process.argv[3]) } : {}),
  })
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
