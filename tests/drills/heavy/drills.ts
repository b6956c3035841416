import { PutObjectCommand } from '@aws-sdk/client-s3';
import { normaliseArticle } from '../../../functions/core/index';
import { startLocalServices } from '../../support/local-services';
import { abuseCases, leakPatterns, runAbuse } from '../support/api-abuse';
import { runDeliveryDrill } from '../support/delivery';
import { runFaultDrill } from '../support/fault-drill';
import { runFuzz } from '../support/fuzz';
import { HOSTILE_CASES } from '../support/hostile-cases';
import { runHostileDrill } from '../support/hostile-drill';
import { makePipeline } from '../support/pipeline';
import { runRaceDrill } from '../support/races';
import { startStackDrill, uploadPath } from '../support/stack-drill';
import { runStackRaceDrill } from '../support/stack-races';
import { describeReport } from '../support/table-check';
import { restartDrill } from './restart';
import { verifyDrill } from './verify-drill';
import { verifyRaceDrill } from './verify-race';

/** One line per drill for `npm run drill -- --help`. */
export const HEAVY_DRILL_HELP: Record<string, string> = {
  delivery:
    '1,000 S3 notifications delivered 1-5 times each, shuffled, into 3 Lambda instances (DynamoDB Local, s3rver)',
  races:
    '8 workers overwrite and delete 6 keys; notifications processed concurrently, out of order, replayed',
  faults:
    'the whole local stack: 2,000 uploads; DynamoDB fails for 5 s, lost write responses, killed ingest and stream invocations, DLQ + redrive',
  outages: 'DynamoDB connections reset, then a hung DynamoDB outlasting the function timeout',
  restart: 'the `npm start` process SIGKILLed mid-burst (node and Java), restarted on the same data folder',
  hostile: 'stack races through s3rver and the bridge, hostile files (time, memory), API abuse',
  fuzz: '10,000 generated inputs through the article core',
  verify:
    'the local stack with 30 BBC files and the seed, damaged behind its back; npm run verify finds it, --repair mends it, 125 lookups answer as before (needs ../shared/corpus/bbc)',
  'verify-race':
    "the AWS verify run, repairing with no in-flight margin, over and over while 3 writers overwrite and delete 24 keys and derived items are deleted behind the pipeline's back; no newer write undone, no count doubled",
};

/**
 * The heavy drills behind `npm run drill`: the npm-test drills at full size, plus per-file time and memory for
 * the hostile files and per-input time for the fuzz. Each returns the problems it found (empty: it held).
 */
export type Log = (line: string) => void;
export type HeavyDrill = (log: Log) => Promise<string[]>;

const MB = 1024 * 1024;

/** Drill 1: 1,000 notifications, each delivered one to five times, shuffled, into three Lambda instances. */
const delivery: HeavyDrill = async (log) => {
  const services = await startLocalServices({ s3: true });
  try {
    const problems: string[] = [];
    const pipeline = await makePipeline(services);
    const result = await runDeliveryDrill(pipeline, {
      notifications: 1000,
      seed: 11,
      maxCopies: 5,
      instances: 3,
      log,
    });
    log(`delivery: ${describeReport(result.report)}`);
    problems.push(
      ...result.report.problems,
      ...result.bucketChanged.map((k) => `bucket changed during delivery: ${k}`),
    );
    if (result.stats.deadLetters.length > 0) problems.push(`${result.stats.deadLetters.length} dead letters`);
    if (result.report.articles !== result.report.outcomes.ingested)
      problems.push('articles != ingested outcomes');
    await pipeline.destroy();
    return problems;
  } finally {
    await services.stop();
  }
};

/**
 * Drill 2: eight workers overwrite and delete the same six keys, each notification processed at once by the
 * worker's own Lambda instance (concurrently and out of order per key), with old notifications replayed.
 */
const races: HeavyDrill = async (log) => {
  const services = await startLocalServices({ s3: true });
  try {
    const pipeline = await makePipeline(services);
    const result = await runRaceDrill(pipeline, { keys: 6, workers: 8, opsPerWorker: 40, seed: 12, log });
    log(`races: ${describeReport(result.report)}`);
    const problems = [...result.report.problems];
    if (result.deadLetters > 0) problems.push(`${result.deadLetters} race records dead-lettered`);
    await pipeline.destroy();
    return problems;
  } finally {
    await services.stop();
  }
};

const faults: HeavyDrill = async (log) => {
  const result = await runFaultDrill({
    uploads: 2000,
    seed: 13,
    faultAfterRecords: 400,
    faultMs: 5_000,
    loseEvery: 13,
    kills: 10,
    // One record write per upload, then the derive consumer's batch writes: 2,000 uploads, their retries and the
    // redrive on a shared 2-core machine take a few minutes of this.
    idleTimeoutMs: 900_000,
    log,
  });
  log(`faults: ${describeReport(result.report)}`);
  const problems = [...result.report.problems];
  if (result.report.outcomes.ingested !== 2000)
    problems.push(`${result.report.outcomes.ingested} of 2000 ingested`);
  if (result.window.failed === 0) problems.push('the fault window failed no call');
  if (result.deadLettered === 0) problems.push('nothing reached the DLQ: the redrive went untested');
  if (result.redriven !== result.deadLettered) problems.push('the redrive did not move every dead letter');
  if (result.deadLettersAfter > 0)
    problems.push(`${result.deadLettersAfter} left in the DLQ after the redrive`);
  return problems;
};

/** DynamoDB failing on the wire: every connection reset, then a hung DynamoDB that outlasts the function timeout. */
const outages: HeavyDrill = async (log) => {
  const problems: string[] = [];
  for (const outage of ['reset', 'blackhole'] as const) {
    const result = await runFaultDrill({
      uploads: 300,
      seed: outage === 'reset' ? 17 : 18,
      faultAfterRecords: 60,
      faultMs: outage === 'reset' ? 4_000 : 8_000,
      loseEvery: 0,
      kills: 0,
      outage,
      functionTimeoutMs: 3_000,
      idleTimeoutMs: 180_000,
      log,
    });
    log(`${outage}: ${describeReport(result.report)}`);
    problems.push(...result.report.problems.map((p) => `${outage}: ${p}`));
    if (result.report.outcomes.ingested !== 300)
      problems.push(`${outage}: ${result.report.outcomes.ingested} of 300 ingested`);
    if (result.deadLettersAfter > 0) problems.push(`${outage}: ${result.deadLettersAfter} left in the DLQ`);
  }
  return problems;
};

/**
 * One stack: hostile files one at a time (time to outcome, core time, RSS peak growth per file), uncoordinated
 * overwrites and deletes through s3rver and the bridge, the hostile files' outcomes via the API, then API abuse.
 */
const hostileAndApi: HeavyDrill = async (log) => {
  const drill = await startStackDrill();
  try {
    const problems: string[] = [];
    // First, on an empty table: the checker expects the table to hold these keys only.
    const races = await runStackRaceDrill(drill, {
      keys: 6,
      workers: 8,
      opsPerWorker: 50,
      seed: 15,
      idleTimeoutMs: 120_000,
      log,
    });
    log(`stack races: ${describeReport(races.report)}`);
    problems.push(...races.report.problems.map((p) => `stack races: ${p}`));
    for (const c of HOSTILE_CASES) {
      const body = c.body();
      const rssBefore = process.memoryUsage.rss();
      let rssPeak = rssBefore;
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      }, 2);
      const started = performance.now();
      await drill.s3
        .send(new PutObjectCommand({ Bucket: drill.stack.bucket, Key: c.key, Body: body }))
        .catch(() => {});
      // The outcome itself, not only an idle pipeline: s3rver may emit the event a moment after answering.
      if (!/[?#]/.test(c.key) && c.expect.status !== 'refused')
        for (let tries = 0; tries < 600 && (await drill.api(uploadPath(c.key))).status !== 200; tries++)
          await new Promise((r) => setTimeout(r, 10));
      await drill.stack.waitForIdle(60_000);
      const ms = performance.now() - started;
      const coreStarted = performance.now();
      if (body.length <= 1024 * 1024) normaliseArticle(body, c.key);
      const coreMs = performance.now() - coreStarted;
      clearInterval(sampler);
      const grew = rssPeak - rssBefore;
      log(
        `hostile: ${c.name.padEnd(44)} ${String(body.length).padStart(9)} B  upload-to-outcome ${ms.toFixed(0).padStart(5)} ms  core ${coreMs.toFixed(0).padStart(4)} ms  RSS peak +${(grew / MB).toFixed(1)} MB (sampled every 2 ms, whole process)`,
      );
      if (ms > 10_000) problems.push(`${c.name}: ${ms.toFixed(0)} ms to its outcome`);
      if (grew > 256 * MB) problems.push(`${c.name}: peak RSS grew ${(grew / MB).toFixed(0)} MB`);
    }
    const outcomes = await runHostileDrill(drill, { idleTimeoutMs: 60_000, log });
    for (const o of outcomes)
      if (o.actual !== o.expected) problems.push(`${o.name}: expected ${o.expected}, got ${o.actual}`);
    const cases = await abuseCases(drill.stack.apiUrl);
    const abuse = await runAbuse(drill.stack.apiUrl, cases, leakPatterns(drill.stack.tableName, null));
    abuse.forEach((o, i) => {
      const want = cases[i]?.status;
      const wrong = want ? o.status !== want : o.status < 400 || o.status >= 500;
      if (wrong || !o.problem || o.leaks.length > 0)
        problems.push(
          `api ${o.name}: ${o.status}${o.problem ? '' : ' not problem+json'} ${o.leaks.join(' ')}`,
        );
    });
    log(
      `api abuse: ${abuse.length} requests, ${abuse.length - problems.filter((p) => p.startsWith('api ')).length} answered as documented`,
    );
    // Beyond Node's 16 KB header limit the local server refuses the request itself (API Gateway answers 414).
    const huge = await drill.api(`/search?q=${'word%20'.repeat(4000)}`);
    log(`api abuse: a ${4000 * 7} byte query string -> ${huge.status} from the local server`);
    if (huge.status < 400 || huge.status >= 500) problems.push(`huge URL answered ${huge.status}`);
    return problems;
  } finally {
    await drill.stop();
  }
};

const fuzz: HeavyDrill = async (log) => {
  const result = runFuzz({ count: 10_000, seed: 16, log });
  log(`fuzz: slowest inputs ${JSON.stringify(result.slowest)}; ${result.overOneSecond} over 1 s`);
  return [
    ...result.violations.map((v) => `${v.label}: ${v.problem}`),
    ...(result.overOneSecond > 0 ? [`${result.overOneSecond} inputs took over 1 s`] : []),
  ];
};

export const HEAVY_DRILLS: Record<string, HeavyDrill> = {
  delivery,
  races,
  faults,
  outages,
  restart: restartDrill,
  hostile: hostileAndApi,
  fuzz,
  verify: verifyDrill,
  'verify-race': verifyRaceDrill,
};
