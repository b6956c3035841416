import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abuseCases, leakPatterns, runAbuse } from './support/api-abuse';
import { HOSTILE_CASES } from './support/hostile-cases';
import { runHostileDrill } from './support/hostile-drill';
import { type StackDrill, startStackDrill } from './support/stack-drill';
import { runStackRaceDrill } from './support/stack-races';
import { describeReport } from './support/table-check';

/**
 * Drills over one local stack (s3rver -> bridge -> queue -> ingest -> DynamoDB Local; HTTP -> API): uncoordinated
 * overwrites and deletes of the same keys, hostile files through the whole pipeline, then hostile requests.
 */
let drill: StackDrill;
beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  drill = await startStackDrill();
});
afterAll(async () => {
  await drill?.stop();
});

describe('drill: uncoordinated overwrites and deletes through s3rver and the bridge', () => {
  it('leaves the table equal to the bucket', async () => {
    const result = await runStackRaceDrill(drill, {
      keys: 3,
      workers: 4,
      opsPerWorker: 10,
      seed: 5,
      idleTimeoutMs: 60_000,
      log: console.log,
    });
    console.log(`stack races: ${describeReport(result.report)}`);
    expect(result.report.problems).toEqual([]);
    expect(result.puts + result.deletes).toBe(40);
  }, 90_000);
});

describe('drill: hostile files through the whole pipeline', () => {
  it('gives each its documented outcome and keeps going', async () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(25);
    const outcomes = await runHostileDrill(drill, { idleTimeoutMs: 90_000, log: console.log });
    for (const o of outcomes) console.log(`hostile: ${o.name}: expected ${o.expected}, got ${o.actual}`);
    expect(outcomes.map((o) => [o.name, o.actual])).toEqual(outcomes.map((o) => [o.name, o.expected]));
    // The pipeline kept going: nothing is left queued or dead-lettered.
    expect({ queued: drill.stack.queue.size, dead: drill.stack.queue.deadLetters().length }).toEqual({
      queued: 0,
      dead: 0,
    });
  }, 120_000);
});

describe('drill: API abuse', () => {
  it('answers every abusive request with a 4xx problem that names no internals', async () => {
    const cases = await abuseCases(drill.stack.apiUrl);
    const outcomes = await runAbuse(drill.stack.apiUrl, cases, leakPatterns(drill.stack.tableName, null));
    for (const [i, o] of outcomes.entries())
      console.log(
        `api abuse: ${cases[i]?.method ?? 'GET'} ${o.name} -> ${o.status}${o.problem ? ' problem+json' : ''}${o.leaks.length ? ` LEAKS ${o.leaks.join(' ')}` : ''}`,
      );
    console.log(
      `api abuse: ${outcomes.length} requests; statuses ${[...new Set(outcomes.map((o) => o.status))].sort().join(', ')}`,
    );
    const bad = outcomes.filter((o, i) => {
      const want = cases[i]?.status;
      return (
        (want ? o.status !== want : o.status < 400 || o.status >= 500) || !o.problem || o.leaks.length > 0
      );
    });
    expect(bad).toEqual([]);
  }, 60_000);
});

describe('the leak check itself', () => {
  it('finds stack frames, internal names and key layout, and passes a clean problem', () => {
    const leaks = leakPatterns('drill-news-table', 'secret-123');
    const found = (body: string) => leaks.filter((p) => p.test(body)).length;
    expect(found('TypeError: x\n    at handler (/work/main/functions/api/app.ts:10:3)')).toBeGreaterThan(2);
    expect(found('{"detail":"DynamoDB said no for drill-news-table at pk ART#0123"}')).toBeGreaterThan(2);
    expect(found('{"detail":"cursor secret-123"}')).toBe(1);
    expect(
      found(
        '{"type":"about:blank","title":"Bad Request","status":400,"detail":"Parameter \'limit\' must be an integer from 1 to 100.","instance":"/articles"}',
      ),
    ).toBe(0);
  });
});
