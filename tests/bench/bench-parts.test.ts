import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeBucket } from '../support/s3-objects';
import { lambdaContext, notification, sqsEvent } from '../support/sqs-events';
import { type BurstFigures, combineBursts, dateFor } from './burst';
import { readUnitsSection } from './cost-section';
import { type Completions, noCompletions, trackedHandlers, trackedStream } from './minimal-pipeline';
import { descendantsOf } from './proc-memory';
import { renderSection } from './report';
import {
  burstOverhead,
  burstSection,
  burstServedOverhead,
  IngestFiguresSchema,
  ingestSection,
} from './sections';
import { BEFORE, BEFORE_FILES, linesAtCommit, linesInTree } from './write-side-size';

/** The bench's own moving parts; the figures themselves are only ever produced by `npm run bench`. */
const local = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };

describe('minimal pipeline handler', () => {
  const s3Mock = mockClient(S3Client);
  const ddbMock = mockClient(DynamoDBClient);
  afterEach(() => {
    s3Mock.reset();
    ddbMock.reset();
  });

  const handlers = async (completions: Completions) => {
    // A variable, not a literal: the handler deps gained fields over time (the upload bucket), and extra ones are fine.
    const deps = {
      s3: new S3Client(local),
      dynamodb: new DynamoDBClient(local),
      tableName: 'bench',
      bucket: 'bench',
      bodyBucket: 'bench-bodies',
      cursorSecret: 'bench-cursor-secret-bench-cursor-secret-01',
      corsAllowOrigins: [],
    };
    return trackedHandlers('minimal', completions)(deps);
  };

  it('stores the raw text with one PutItem and notes the key as done', async () => {
    const bucket = installFakeBucket(s3Mock);
    bucket.set('burst/a b.txt', new TextEncoder().encode('Some text'));
    ddbMock.on(PutItemCommand).resolves({});
    const completions: Completions = noCompletions();
    const { ingest } = await handlers(completions);
    const response = await ingest(
      sqsEvent(notification({ key: 'burst/a b.txt', sequencer: '01' })),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    const puts = ddbMock.commandCalls(PutItemCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.args[0].input.Item).toEqual({
      pk: { S: 'RAW#burst/a b.txt' },
      sk: { S: 'RAW' },
      text: { S: 'Some text' },
    });
    expect([...completions.doneAt.keys()]).toEqual(['burst/a b.txt']);
    expect(completions.records).toBe(1);
  }, 60_000);

  it('reports a record it could not read as failed and does not count it as done', async () => {
    installFakeBucket(s3Mock);
    const completions: Completions = noCompletions();
    const { ingest } = await handlers(completions);
    const record = notification({ key: 'missing.txt', sequencer: '02' }, 'm-1');
    expect(await ingest(sqsEvent(record), lambdaContext())).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-1' }],
    });
    expect(completions.doneAt.size).toBe(0);
  }, 60_000);
});

describe('stream tracker', () => {
  const record = (pk: string, sk: string) => ({
    eventName: 'INSERT',
    dynamodb: { Keys: { pk: { S: pk }, sk: { S: sk } } },
  });
  const fresh = (): Completions => noCompletions();

  it('marks the articles whose record a batch named once the consumers return, not derived items', async () => {
    const completions = fresh();
    let seen = 0;
    const handler = trackedStream(async () => {
      seen += 1;
      return undefined;
    }, completions);
    await handler({
      Records: [
        record('ART#a1', 'RECORD'),
        record('ART#a2', 'APPLIED'),
        record('ENT#place#leeds', '2024-01-01#a3'),
      ],
    });
    expect(seen).toBe(1);
    expect([...completions.indexedAt.keys()]).toEqual(['a1']);
  });

  it('marks nothing when the consumers fail the batch', async () => {
    const completions = fresh();
    const handler = trackedStream(async () => {
      throw new Error('derive failed');
    }, completions);
    await expect(handler({ Records: [record('ART#a1', 'RECORD')] })).rejects.toThrow('derive failed');
    expect(completions.indexedAt.size).toBe(0);
  });
});

describe('ingest section', () => {
  const summary = (v: number) => ({ mean: v, p50: v, p95: v, max: v });
  const figures = (rewritten: number, stampedOnly: number, units = 43) =>
    IngestFiguresSchema.parse({
      capacity: {
        articles: 2,
        ingested: 2,
        recordBytes: summary(2000),
        recordWcuModelled: summary(2),
        recordWcuReportedByLocal: summary(2),
        itemsDerivedPerArticle: summary(38),
        deriveWcuReportedByLocal: summary(40),
        wcuPerArticleModelled: summary(units),
        unchangedReupload: {
          count: 2,
          recordWcuReportedByLocal: summary(2),
          derivedItemsRewritten: summary(rewritten),
          stampedOnly,
          deriveWcuReportedByLocal: summary(1),
        },
      },
    });
  const verdicts = (f: ReturnType<typeof figures>) =>
    ingestSection(f)
      .rows.filter((r) => r.target)
      .map((r) => r.pass);

  it('passes an unchanged re-upload that only stamps APPLIED, and fails one that rewrites derived items', () => {
    expect(verdicts(figures(0, 2))).toEqual([true, true]);
    expect(verdicts(figures(3, 2))).toEqual([true, false]);
    expect(verdicts(figures(0, 1))).toEqual([true, false]);
    expect(verdicts(figures(0, 2, 51))).toEqual([false, true]);
  });
});

describe('report', () => {
  it('prints PASS and MISS next to targeted figures only', () => {
    const text = renderSection({
      title: 'T',
      rows: [
        { figure: 'a', value: '1', target: '<= 2', pass: true },
        { figure: 'b', value: '3', target: '<= 2', pass: false },
        { figure: 'c', value: '4' },
      ],
    });
    const lines = text.split('\n');
    expect(lines.find((l) => l.includes(' a '))).toMatch(/PASS$/);
    expect(lines.find((l) => l.includes(' b '))).toMatch(/MISS$/);
    expect(lines.find((l) => l.trim().startsWith('c '))).not.toMatch(/PASS|MISS/);
  });

  it('fails a route whose reads per page grow with the table and passes one that stays flat', () => {
    const units = (rcu: number, items: number) => ({
      reportedRcu: rcu,
      modelledRcu: rcu,
      items,
      bytes: 1,
      calls: 1,
    });
    const section = readUnitsSection(
      { articles: 10, units: { byId: units(0.5, 1), byDate: units(3, 60), search: units(1, 10) } },
      { articles: 20, units: { byId: units(0.5, 1), byDate: units(3.5, 60), search: units(2, 20) } },
    );
    const verdict = (label: string) => section.rows.find((r) => r.figure.startsWith(label))?.pass;
    expect(verdict('GET /articles/{id}')).toBe(true);
    expect(verdict('GET /search')).toBe(false);
    // Same items read, bigger items: the page is still bounded.
    expect(verdict('GET /articles?')).toBe(true);
    // A route measured at only one size cannot show it does not grow.
    expect(verdict('GET /entities')).toBe(false);
  });

  it('passes a page that read more items but stayed within its Limits, and fails one that made more calls', () => {
    const units = (items: number, calls: number, maxItems?: number) => ({
      reportedRcu: 1,
      modelledRcu: 1,
      items,
      bytes: 1,
      calls,
      ...(maxItems === undefined ? {} : { maxItems }),
    });
    const section = readUnitsSection(
      { articles: 10, units: { byDate: units(7, 5, 184), byEntity: units(3, 1, 21), search: units(2, 1) } },
      { articles: 20, units: { byDate: units(37, 5, 184), byEntity: units(14, 2, 42), search: units(2, 1) } },
    );
    const verdict = (label: string) => section.rows.find((r) => r.figure.startsWith(label))?.pass;
    expect(verdict('GET /articles?')).toBe(true);
    expect(verdict('GET /entities')).toBe(false);
    expect(verdict('GET /search')).toBe(true);
  });

  it('computes the burst overhead from ours all indexed over the minimal pipeline all stored', () => {
    const figures = (totalMs: number, indexedTotalMs = totalMs): BurstFigures => ({
      pipeline: 'ours',
      uploads: 10,
      distinctTexts: 10,
      putConcurrency: 1,
      totalMs,
      articlesPerSecond: 1,
      latencyMs: { p50: 1, p95: 1, max: 1 },
      indexedTotalMs,
      indexedLatencyMs: { p50: 1, p95: 1, max: 1 },
      handlerMsPerRecord: 1,
      dynamoMsPerRecord: 1,
      peakMemory: { benchProcessMb: 1, childrenMb: 1, totalMb: 2, samples: 1 },
      verified: {},
    });
    expect(burstOverhead(figures(3000), figures(2000))).toBe(1.5);
    // Served after 2 s, indexed after 9 s: the overhead is the indexed one.
    expect(burstOverhead(figures(2000, 9000), figures(2000))).toBe(4.5);
    expect(burstServedOverhead(figures(2000, 9000), figures(2000))).toBe(1);
    const section = burstSection(figures(2000, 9000), figures(2000));
    expect(section.rows.find((r) => r.figure.startsWith('overhead: ours all indexed'))?.pass).toBe(false);
    expect(burstSection(figures(2000, 8000), figures(2000)).rows.find((r) => r.target)?.pass).toBe(true);
  });

  it('combines burst rounds: mean times, the highest peak memory, checks added up', () => {
    const figures = (totalMs: number, totalMb: number): BurstFigures => ({
      pipeline: 'ours',
      uploads: 100,
      distinctTexts: 10,
      putConcurrency: 1,
      totalMs,
      articlesPerSecond: 0,
      latencyMs: { p50: totalMs / 2, p95: totalMs, max: totalMs },
      indexedTotalMs: totalMs * 2,
      indexedLatencyMs: { p50: totalMs, p95: totalMs * 2, max: totalMs * 2 },
      handlerMsPerRecord: 10,
      dynamoMsPerRecord: 5,
      peakMemory: { benchProcessMb: 1, childrenMb: 1, totalMb, samples: 1 },
      verified: { ingested: 100 },
    });
    const combined = combineBursts([figures(4000, 500), figures(6000, 400)]);
    expect(combined?.totalMs).toBe(5000);
    expect(combined?.articlesPerSecond).toBe(20);
    expect(combined?.latencyMs).toEqual({ p50: 2500, p95: 5000, max: 6000 });
    expect(combined?.indexedTotalMs).toBe(10_000);
    expect(combined?.indexedLatencyMs).toEqual({ p50: 5000, p95: 10_000, max: 12_000 });
    expect(combined?.peakMemory.totalMb).toBe(500);
    expect(combined?.verified).toEqual({ ingested: 200 });
    expect(combineBursts([])).toBeNull();
  });
});

describe('burst inputs and memory sampling', () => {
  it('dates uploads across 2024 and wraps after a year', () => {
    expect(dateFor(0)).toBe('2024-01-01');
    expect(dateFor(59)).toBe('2024-02-29');
    expect(dateFor(365)).toBe('2024-12-31');
    expect(dateFor(366)).toBe('2024-01-01');
  });

  it('finds child processes (where DynamoDB Local runs) below this one', async () => {
    const child = spawn('sleep', ['5']);
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(descendantsOf(process.pid)).toContain(child.pid);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('write side size', () => {
  it('counts lines as wc -l does, of files and of .ts files under folders', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-size-'));
    try {
      mkdirSync(join(dir, 'f'));
      writeFileSync(join(dir, 'a.ts'), 'one\ntwo\n');
      writeFileSync(join(dir, 'f', 'b.ts'), 'x\ny\nz');
      writeFileSync(join(dir, 'f', 'c.md'), 'not\ncounted\n');
      expect(linesInTree(dir, ['a.ts', 'f', 'missing.ts'])).toEqual({ files: 2, lines: 4 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the files before the rewrite from git: every named module and the two functions folders', () => {
    const repo = join(import.meta.dirname, '../..');
    const before = linesAtCommit(repo, BEFORE, BEFORE_FILES);
    expect(before.files).toBe(16 + 8);
    expect(before.lines).toBeGreaterThan(2_000);
  });
});
