import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServices, startLocalServices } from '../support/local-services';
import { runDeliveryDrill } from './support/delivery';
import { makePipeline } from './support/pipeline';
import { runRaceDrill } from './support/races';
import { describeReport } from './support/table-check';

/**
 * Drills 1 and 2 at npm-test size over DynamoDB Local and s3rver (the heavy run, `npm run drill`, repeats them
 * at 1,000 notifications). Fixed seeds: a failure reproduces.
 */
let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ s3: true });
});
afterAll(async () => {
  await services?.stop();
});

describe('drill: duplicated and shuffled delivery', () => {
  it('ends with one article per live object, exact entries, the newest sequencer’s outcome', async () => {
    const pipeline = await makePipeline(services);
    const result = await runDeliveryDrill(pipeline, {
      notifications: 100,
      seed: 1,
      maxCopies: 5,
      instances: 2,
      log: console.log,
    });
    await pipeline.destroy();
    console.log(`delivery: ${describeReport(result.report)}`);
    expect(result.bucketChanged).toEqual([]);
    expect(result.report.problems).toEqual([]);
    expect(result.stats.deadLetters).toEqual([]);
    expect(result.notifications).toBe(100);
    expect(result.deliveries).toBeGreaterThan(result.notifications);
    expect(result.report.outcomes.ingested).toBeGreaterThan(20);
    expect(result.report.outcomes.deleted).toBeGreaterThan(0);
    expect(result.report.articles).toBe(result.report.outcomes.ingested);
    expect(result.report.outcomes.ingested + result.report.outcomes.rejected).toBe(result.liveObjects);
  }, 120_000);
});

describe('drill: concurrent overwrite and delete of the same keys', () => {
  it('leaves the table equal to the bucket', async () => {
    const pipeline = await makePipeline(services);
    const result = await runRaceDrill(pipeline, {
      keys: 4,
      workers: 4,
      opsPerWorker: 10,
      seed: 2,
      log: console.log,
    });
    await pipeline.destroy();
    console.log(`races: ${describeReport(result.report)}`);
    expect(result.report.problems).toEqual([]);
    expect(result.deadLetters).toBe(0);
    expect(result.operations.puts + result.operations.deletes).toBe(40);
  }, 120_000);
});
