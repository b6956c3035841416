import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { articleIdForKey } from '../../functions/core/article';
import { eachLimited } from '../../functions/shared/each-limited';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import {
  type Completions,
  noCompletions,
  type PipelineKind,
  rawItemKey,
  trackedHandlers,
} from './minimal-pipeline';
import { type PeakMemory, startMemorySampler } from './proc-memory';
import { median, percentile, round } from './stats';

/**
 * Ingest burst on a fresh local stack (the same one `npm start` runs, in this process): `count` uploads under new
 * keys, the corpus files cycled (read at run time, never copied), put `putConcurrency` at a time. An upload is
 * served when the ingest handler has returned its record as done (its record is then in DynamoDB: GET by id answers),
 * and indexed when the stream consumers came back from a batch naming its record (derived items and APPLIED in);
 * the times are taken inside wrappers around the handlers, so neither pipeline pays for polling. The minimal
 * pipeline derives nothing: indexed = served. Afterwards every key is
 * checked: ours through the API (GET /uploads/{key}), the minimal pipeline by GetItem of its raw item.
 */

export interface BurstFigures {
  pipeline: PipelineKind;
  uploads: number;
  distinctTexts: number;
  putConcurrency: number;
  /** Until every upload is served (ours: its record written; GET /articles/{id} answers). */
  totalMs: number;
  articlesPerSecond: number;
  latencyMs: { p50: number; p95: number; max: number };
  /** Until every upload is indexed (ours: derived by the stream consumers; the minimal pipeline: as served). */
  indexedTotalMs: number;
  indexedLatencyMs: { p50: number; p95: number; max: number };
  handlerMsPerRecord: number;
  /** Of which inside DynamoDB sends. */
  dynamoMsPerRecord: number;
  peakMemory: PeakMemory;
  verified: Record<string, number>;
}

export interface BurstRun {
  figures: BurstFigures;
  stack: LocalStack;
  keys: string[];
  /** Stops the stack and deletes its data folder. */
  stop(): Promise<void>;
}

/**
 * The BBC texts carry no date, so each upload gets a date line (the seeds' format) spread over 2024: the list by
 * date route then has pages to serve. Both pipelines receive the same bytes.
 */
export const dateFor = (i: number) => new Date(Date.UTC(2024, 0, 1 + (i % 366))).toISOString().slice(0, 10);

const UploadStatusSchema = z.object({ status: z.string(), indexedAt: z.string().optional() });

const verify = async (kind: PipelineKind, stack: LocalStack, keys: string[]) => {
  const counts: Record<string, number> = {};
  const count = (status: string) => {
    counts[status] = (counts[status] ?? 0) + 1;
  };
  if (kind === 'ours') {
    await eachLimited(keys, 8, async (key) => {
      const res = await fetch(`${stack.apiUrl}/uploads/${key}`);
      const body = UploadStatusSchema.safeParse(await res.json().catch(() => null));
      count(res.status === 200 && body.success ? body.data.status : `http ${res.status}`);
      if (body.success && body.data.indexedAt) count('indexed');
    });
  } else {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint });
    await eachLimited(keys, 8, async (key) => {
      const out = await client.send(new GetItemCommand({ TableName: stack.tableName, Key: rawItemKey(key) }));
      count(out.Item ? 'stored' : 'missing');
    });
    client.destroy();
  }
  return counts;
};

export async function runBurst(opts: {
  kind: PipelineKind;
  files: string[];
  count: number;
  putConcurrency?: number;
  timeoutMs?: number;
  /** Called once, when half the uploads are indexed (the read-unit bench measures there). */
  onHalf?: (stack: LocalStack, doneKeys: string[]) => Promise<void>;
}): Promise<BurstRun> {
  const putConcurrency = opts.putConcurrency ?? 16;
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const texts = opts.files.map((file) => ({
    name: `${basename(dirname(file))}-${basename(file)}`,
    body: readFileSync(file),
  }));
  if (texts.length === 0) throw new Error('burst: no texts to upload');
  const completions: Completions = noCompletions();
  const dataDir = mkdtempSync(join(tmpdir(), `bench-burst-${opts.kind}-`));
  const stack = await startLocalStack({
    dataDir,
    fresh: true,
    seedsDir: null,
    makeHandlers: trackedHandlers(opts.kind, completions),
  });
  const stop = async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await stack.waitForIdle();
    completions.doneAt.clear();
    completions.indexedAt.clear();
    completions.handlerMs = 0;
    completions.dynamoMs = 0;
    completions.records = 0;
    const runId = Date.now().toString(36);
    const keys = Array.from(
      { length: opts.count },
      (_, i) => `burst/${runId}/${String(i).padStart(5, '0')}-${texts[i % texts.length]?.name}`,
    );
    const s3 = makeLocalS3Client(stack.s3Endpoint);
    const putAt = new Map<string, number>();
    const bodies = keys.map((_, i) =>
      Buffer.concat([Buffer.from(`date ${dateFor(i)}\n`), texts[i % texts.length]?.body ?? Buffer.alloc(0)]),
    );
    const memory = startMemorySampler();
    const started = performance.now();
    const puts = eachLimited(keys, putConcurrency, async (key, i) => {
      putAt.set(key, performance.now());
      await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: bodies[i] }));
    });
    // Until every upload is served and indexed (ours: derived by the stream consumers; the minimal pipeline has
    // nothing to derive). The half-way callback waits for half to be indexed, so the pages it reads hold them.
    const indexedAtOf = (key: string) =>
      opts.kind === 'ours' ? completions.indexedAt.get(articleIdForKey(key)) : completions.doneAt.get(key);
    let halfDone = false;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const served = keys.filter((key) => completions.doneAt.has(key)).length;
      const indexed = keys.filter((key) => indexedAtOf(key) !== undefined);
      if (served === keys.length && indexed.length === keys.length) break;
      if (Date.now() > deadline)
        throw new Error(
          `burst (${opts.kind}): ${served}/${keys.length} served, ${indexed.length} indexed after ${timeoutMs} ms`,
        );
      if (!halfDone && opts.onHalf && indexed.length >= keys.length / 2) {
        halfDone = true;
        await opts.onHalf(stack, indexed);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await puts;
    const doneAt = keys.map((key) => completions.doneAt.get(key) ?? Number.NaN);
    const indexedAt = keys.map((key) => indexedAtOf(key) ?? Number.NaN);
    const totalMs = Math.max(...doneAt) - started;
    const peakMemory = memory.stop();
    completions.detach?.();
    s3.destroy();
    const latencies = keys.map((key, i) => (doneAt[i] ?? Number.NaN) - (putAt.get(key) ?? Number.NaN));
    const indexedLatencies = keys.map(
      (key, i) => (indexedAt[i] ?? Number.NaN) - (putAt.get(key) ?? Number.NaN),
    );
    await stack.waitForIdle(60_000);
    const figures: BurstFigures = {
      pipeline: opts.kind,
      uploads: keys.length,
      distinctTexts: texts.length,
      putConcurrency,
      totalMs: round(totalMs, 0),
      articlesPerSecond: round(keys.length / (totalMs / 1000), 1),
      latencyMs: {
        p50: round(median(latencies), 0),
        p95: round(percentile(latencies, 95), 0),
        max: round(Math.max(...latencies), 0),
      },
      indexedTotalMs: round(Math.max(...indexedAt) - started, 0),
      indexedLatencyMs: {
        p50: round(median(indexedLatencies), 0),
        p95: round(percentile(indexedLatencies, 95), 0),
        max: round(Math.max(...indexedLatencies), 0),
      },
      handlerMsPerRecord: round(completions.handlerMs / Math.max(1, completions.records), 2),
      dynamoMsPerRecord: round(completions.dynamoMs / Math.max(1, completions.records), 2),
      peakMemory,
      verified: await verify(opts.kind, stack, keys),
    };
    return { figures, stack, keys, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Several rounds of one pipeline as one set of figures: means, the peak memory's maximum, checks summed. */
export const combineBursts = (runs: readonly BurstFigures[]): BurstFigures | null => {
  const [first] = runs;
  if (!first) return null;
  const mean = (pick: (b: BurstFigures) => number, digits = 0) =>
    round(runs.reduce((sum, b) => sum + pick(b), 0) / runs.length, digits);
  const max = (pick: (b: BurstFigures) => number) => Math.max(...runs.map(pick));
  const verified: Record<string, number> = {};
  for (const run of runs)
    for (const [status, n] of Object.entries(run.verified)) verified[status] = (verified[status] ?? 0) + n;
  const totalMs = mean((b) => b.totalMs);
  return {
    ...first,
    totalMs,
    articlesPerSecond: round(first.uploads / (totalMs / 1000), 1),
    latencyMs: {
      p50: mean((b) => b.latencyMs.p50),
      p95: mean((b) => b.latencyMs.p95),
      max: max((b) => b.latencyMs.max),
    },
    indexedTotalMs: mean((b) => b.indexedTotalMs),
    indexedLatencyMs: {
      p50: mean((b) => b.indexedLatencyMs.p50),
      p95: mean((b) => b.indexedLatencyMs.p95),
      max: max((b) => b.indexedLatencyMs.max),
    },
    handlerMsPerRecord: mean((b) => b.handlerMsPerRecord, 2),
    dynamoMsPerRecord: mean((b) => b.dynamoMsPerRecord, 2),
    peakMemory: {
      benchProcessMb: max((b) => b.peakMemory.benchProcessMb),
      childrenMb: max((b) => b.peakMemory.childrenMb),
      totalMb: max((b) => b.peakMemory.totalMb),
      samples: runs.reduce((sum, b) => sum + b.peakMemory.samples, 0),
    },
    verified,
  };
};
