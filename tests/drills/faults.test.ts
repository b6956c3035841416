import { describe, expect, it } from 'vitest';
import { runFaultDrill } from './support/fault-drill';
import { describeReport } from './support/table-check';

/** Drill 3 at npm-test size; `npm run drill` runs it with a 2,000-upload burst. */
describe('drill: DynamoDB faults and killed invocations during a burst', () => {
  it('ingests every article exactly once, through the DLQ and a redrive where needed', async () => {
    const result = await runFaultDrill({
      uploads: 60,
      seed: 3,
      faultAfterRecords: 15,
      faultMs: 1_500,
      loseEvery: 7,
      kills: 3,
      idleTimeoutMs: 60_000,
      log: console.log,
    });
    console.log(`faults: ${describeReport(result.report)}`);
    expect(result.report.problems).toEqual([]);
    expect(result.report.outcomes).toEqual({ ingested: 60, rejected: 0, deleted: 0 });
    expect(result.report.articles).toBe(60);
    // The drill must really have exercised each path it claims to.
    expect(result.window.failed).toBeGreaterThan(0);
    expect(result.window.lostResponses).toBeGreaterThan(0);
    expect(result.kills.killed).toBe(3);
    // The stream consumers died half-way through batches too, and every derived item and count is still exact.
    expect(result.streamKills.killed).toBe(3);
    expect(result.deadLettered).toBeGreaterThan(0);
    expect(result.redriven).toBe(result.deadLettered);
    expect(result.deadLettersAfter).toBe(0);
  }, 120_000);
});
