import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { articleIdForKey } from '../../functions/core/article';
import { eachLimited } from '../../functions/shared/each-limited';
import { collectFiles } from '../../infra/local/files';
import { freePort } from '../../infra/local/free-port';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { keyWithPrefix } from '../../infra/local/upload-files';
import { listTexts } from './corpus-files';
import { median, percentile, round } from './stats';

/**
 * End-to-end bench of `npm start`:
 * - cold start: a fresh child process running infra/local/main.ts with --fresh on free ports, timed from spawn
 *   until GET /health answers 200 (target: within 15 s);
 * - upload to served and to indexed: corpus articles (read where they lie, never copied) put one at a time under new
 *   keys, each timed from the PutObject call until the outcome says `ingested` and GET /articles/{id} answers 200
 *   (served, target: median within 120 ms), and until the outcome has `indexedAt` (indexed, median within 1 s);
 * - burst: the same number put at once, timed until the last is served (throughput, no target);
 * - `npm run upload` of the whole corpus folder (203 files), timed until every outcome has `indexedAt` (15 s).
 * The stack under test is the spawned child, so the figures include the real process boundaries.
 */
const REPO = resolve(import.meta.dirname, '../..');
const MAIN = join(REPO, 'infra/local/main.ts');
const UPLOAD = join(REPO, 'infra/local/upload.ts');

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

const OutcomeSchema = z.object({
  status: z.string(),
  at: z.string(),
  eventTime: z.string().optional(),
  indexedAt: z.string().optional(),
});
type Outcome = z.infer<typeof OutcomeSchema>;

/**
 * Where an upload's time went, from the outcome's own clocks (the child's, the same machine's): the S3 event's
 * time, when the record was written (`at`), when the derive consumer stamped it (`indexedAt`).
 */
const stagesOf = (putAt: number, o: Outcome) => {
  const event = o.eventTime ? Date.parse(o.eventTime) : Number.NaN;
  const at = Date.parse(o.at);
  const indexed = o.indexedAt ? Date.parse(o.indexedAt) : Number.NaN;
  return { toEvent: event - putAt, eventToRecord: at - event, recordToIndexed: indexed - at };
};
type Stages = ReturnType<typeof stagesOf>;
const medianStages = (all: Stages[]) => ({
  putToS3EventMs: round(median(all.map((x) => x.toEvent).filter(Number.isFinite)), 0),
  s3EventToRecordMs: round(median(all.map((x) => x.eventToRecord).filter(Number.isFinite)), 0),
  recordToIndexedMs: round(median(all.map((x) => x.recordToIndexed).filter(Number.isFinite)), 0),
});

const outcomeOf = async (apiUrl: string, key: string) => {
  const res = await fetch(`${apiUrl}/uploads/${key.split('/').map(encodeURIComponent).join('/')}`);
  const body = res.status === 200 ? OutcomeSchema.safeParse(await res.json().catch(() => null)) : null;
  if (!body) await res.arrayBuffer().catch(() => undefined);
  return body?.success ? body.data : null;
};

const served = async (apiUrl: string, id: string) => {
  const res = await fetch(`${apiUrl}/articles/${id}`);
  await res.arrayBuffer();
  return res.status === 200;
};

/**
 * From the PutObject call: served = the outcome (GET /uploads/{key}) says `ingested` and GET /articles/{id}
 * answers 200; indexed = the outcome has `indexedAt` (the article's entries, dates and terms are in the lists).
 */
const putTimed = async (s3: S3Client, child: Child, key: string, body: Buffer, timeoutMs = 30_000) => {
  const started = process.hrtime.bigint();
  const putAt = Date.now();
  const since = () => Number(process.hrtime.bigint() - started) / 1e6;
  await s3.send(new PutObjectCommand({ Bucket: 'articles', Key: key, Body: body }));
  const id = articleIdForKey(key);
  let servedMs: number | null = null;
  while (since() < timeoutMs) {
    const outcome = await outcomeOf(child.apiUrl, key);
    if (outcome && outcome.status !== 'ingested') throw new Error(`${key}: ${outcome.status}, not ingested`);
    if (servedMs === null && outcome?.status === 'ingested' && (await served(child.apiUrl, id)))
      servedMs = since();
    if (servedMs !== null && outcome?.indexedAt)
      return { servedMs, indexedMs: since(), stages: stagesOf(putAt, outcome) };
    // Every 5 ms until served; then every 25 ms, so polling (two consistent reads a round on DynamoDB Local, in
    // the child that also runs the consumers) does not slow the indexing it waits for.
    await sleep(servedMs === null ? 5 : 25);
  }
  throw new Error(`${key} not ${servedMs === null ? 'served' : 'indexed'} within ${timeoutMs} ms`);
};

/**
 * `npm run upload -- <corpus> --prefix P --data-dir D` against the running child (the script as a user runs it,
 * found through the child's data folder), timed from its spawn until every uploaded file's outcome has `indexedAt`.
 */
const uploadAllIndexed = async (child: Child, corpusDir: string, prefix: string, timeoutMs = 180_000) => {
  const keys = collectFiles([corpusDir]).map((f) => keyWithPrefix(prefix, f.key));
  const started = performance.now();
  const startedAt = Date.now();
  const upload = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      'tsx',
      UPLOAD,
      corpusDir,
      `--prefix=${prefix}`,
      `--data-dir=${child.dataDir}`,
    ],
    { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let stderr = '';
  upload.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const uploaded = new Promise<number>((done) => upload.once('exit', (code) => done(code ?? -1)));
  let uploadExit: number | null = null;
  void uploaded.then((code) => {
    uploadExit = code;
  });
  const pending = new Set(keys);
  const statuses: Record<string, number> = {};
  const stages: Stages[] = [];
  let lastRecordAt = 0;
  while (pending.size > 0) {
    if (performance.now() - started > timeoutMs)
      throw new Error(
        `npm run upload: ${keys.length - pending.size}/${keys.length} indexed after ${timeoutMs} ms`,
      );
    if (uploadExit !== null && uploadExit !== 0)
      throw new Error(`npm run upload exited ${uploadExit}: ${stderr}`);
    await eachLimited([...pending], 8, async (key) => {
      const outcome = await outcomeOf(child.apiUrl, key);
      if (outcome?.indexedAt) {
        pending.delete(key);
        statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
        stages.push(stagesOf(startedAt, outcome));
        lastRecordAt = Math.max(lastRecordAt, Date.parse(outcome.at));
      }
    });
    if (pending.size > 0) await sleep(100);
  }
  const indexedMs = performance.now() - started;
  const exit = await uploaded;
  return {
    files: keys.length,
    indexedMs,
    /** From the spawn until the last record was written (every file served), by the child's clock. */
    allServedMs: lastRecordAt - startedAt,
    uploadExit: exit,
    statuses,
    medians: medianStages(stages),
  };
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
      const servedMs: number[] = [];
      const indexedMs: number[] = [];
      const stages: Stages[] = [];
      for (let i = 0; i < count; i++) {
        const t = await putTimed(s3, child, `bench/${runId}/one-${i}.txt`, pick(i));
        servedMs.push(t.servedMs);
        indexedMs.push(t.indexedMs);
        stages.push(t.stages);
      }

      const burstStarted = process.hrtime.bigint();
      const burstKeys = Array.from({ length: count }, (_, i) => `bench/${runId}/burst-${i}.txt`);
      await Promise.all(
        burstKeys.map((Key, i) =>
          s3.send(new PutObjectCommand({ Bucket: 'articles', Key, Body: pick(count + i) })),
        ),
      );
      for (const key of burstKeys) {
        const deadline = Date.now() + 120_000;
        while (!(await served(child.apiUrl, articleIdForKey(key)))) {
          if (Date.now() > deadline) throw new Error(`${key} not served within 120 s`);
          await sleep(5);
        }
      }
      const burstMs = Number(process.hrtime.bigint() - burstStarted) / 1e6;
      const upload = opts.corpusDir
        ? await uploadAllIndexed(child, opts.corpusDir, `bench/${runId}/upload`)
        : null;

      return {
        coldStart: {
          what: 'spawn of infra/local/main.ts --fresh (seeds on) until GET /health is 200',
          runs: coldStartMs.map((ms) => round(ms, 0)),
          medianMs: round(median(coldStartMs), 0),
          maxMs: round(Math.max(...coldStartMs), 0),
          target: 'first request within 15000 ms',
          met: Math.max(...coldStartMs) <= 15_000,
        },
        uploadToServed: {
          what: 'PutObject start until the outcome says ingested and GET /articles/{id} is 200, one upload at a time',
          source: opts.corpusDir ? 'corpus' : 'seeds',
          count,
          p50Ms: round(median(servedMs), 0),
          p95Ms: round(percentile(servedMs, 95), 0),
          maxMs: round(Math.max(...servedMs), 0),
          target: 'median within 120 ms',
          met: median(servedMs) <= 120,
          /** PutObject start until the record was written, by the record's own clock (`at`): no polling in it. */
          byRecordClockP50Ms: round(median(stages.map((x) => x.toEvent + x.eventToRecord)), 0),
        },
        uploadToIndexed: {
          what: 'PutObject start until the outcome (GET /uploads/{key}) has indexedAt, one upload at a time',
          count,
          p50Ms: round(median(indexedMs), 0),
          p95Ms: round(percentile(indexedMs, 95), 0),
          maxMs: round(Math.max(...indexedMs), 0),
          target: 'median within 1000 ms',
          met: median(indexedMs) <= 1000,
          /** Medians of each stage, by the outcome's clocks. */
          stages: medianStages(stages),
        },
        uploadScript: upload
          ? {
              what: `npm run upload of ${opts.corpusDir} (every file) until every outcome has indexedAt`,
              files: upload.files,
              indexedMs: round(upload.indexedMs, 0),
              allServedMs: round(upload.allServedMs, 0),
              stages: upload.medians,
              uploadExit: upload.uploadExit,
              statuses: upload.statuses,
              target: 'all indexed within 15000 ms',
              met: upload.indexedMs <= 15_000,
            }
          : null,
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
