import type { SQSRecord } from 'aws-lambda';
import type { IngestHandler } from '../../../functions/ingest/ingest';
import { notification } from '../../support/sqs-events';
import { makeArticle } from './articles';
import { deliver, type Pipeline } from './pipeline';
import { intBetween, makeRng, pick } from './rng';
import { checkTable, type KeyTruth, type TableReport } from './table-check';

/**
 * Drill 2: parallel workers overwrite and delete the same few keys. Each S3 operation takes the key's next
 * sequencer atomically with the operation (as S3 orders a key's writes); its notification goes at once to the
 * worker's own Lambda instance, so notifications for one key are processed concurrently and out of order, and
 * now and then an old notification is delivered again. The table must end equal to the bucket.
 */
export interface RaceOptions {
  keys: number;
  workers: number;
  opsPerWorker: number;
  seed: number;
  log?: (line: string) => void;
}

export interface RaceResult {
  operations: { puts: number; deletes: number; replays: number };
  deliveries: number;
  failures: number;
  deadLetters: number;
  report: TableReport;
}

export const runRaceDrill = async (pipeline: Pipeline, options: RaceOptions): Promise<RaceResult> => {
  const log = options.log ?? (() => {});
  const keys = Array.from({ length: options.keys }, (_, i) => `races-${options.seed}/key ${i}.txt`);
  const locks = new Map<string, Promise<unknown>>();
  const newest = new Map<string, string>();
  const sent: SQSRecord[] = [];
  let sequence = BigInt(0x20000000) * BigInt(options.seed + 1);
  const operations = { puts: 0, deletes: 0, replays: 0 };
  let deliveries = 0;
  let failures = 0;
  let deadLetters = 0;

  /** The S3 operation and its sequencer, serialised per key; returns the notification S3 would send. */
  const operate = (key: string, remove: boolean, body: Buffer): Promise<SQSRecord> => {
    const run = (locks.get(key) ?? Promise.resolve()).then(async () => {
      sequence += 1n;
      // Fixed width (18 hex digits, as S3's are): right-padded comparison then orders them as numbers.
      const sequencer = sequence.toString(16).toUpperCase().padStart(18, '0');
      newest.set(key, sequencer);
      if (remove) {
        await pipeline.remove(key);
        operations.deletes += 1;
        return notification({ key, sequencer, eventName: 'ObjectRemoved:Delete', bucket: pipeline.bucket });
      }
      const eTag = await pipeline.put(key, body);
      operations.puts += 1;
      return notification({ key, sequencer, bucket: pipeline.bucket, size: body.length, eTag });
    });
    locks.set(
      key,
      run.catch(() => {}),
    );
    return run;
  };

  const worker = async (index: number, handler: IngestHandler) => {
    const rng = makeRng(options.seed * 1000 + index);
    for (let op = 0; op < options.opsPerWorker; op++) {
      const key = pick(rng, keys);
      const record = await operate(key, rng() < 0.35, Buffer.from(makeArticle(rng).text, 'utf8'));
      sent.push(record);
      const batch = [record];
      if (sent.length > 3 && rng() < 0.25) {
        batch.push({ ...pick(rng, sent), messageId: `replay-${index}-${op}` });
        operations.replays += 1;
      }
      const stats = await deliver(batch, [handler], { batchSize: 10, maxReceives: 10 });
      deliveries += stats.records;
      failures += stats.failures;
      deadLetters += stats.deadLetters.length;
      if (intBetween(rng, 0, 3) === 0) await new Promise((r) => setTimeout(r, intBetween(rng, 0, 5)));
    }
  };
  await Promise.all(
    Array.from({ length: options.workers }, (_, i) => worker(i, pipeline.newInstance().handler)),
  );
  log(
    `races: ${options.workers} workers on ${options.keys} keys: ${operations.puts} puts, ${operations.deletes} deletes, ${operations.replays} replayed notifications; ${deliveries} deliveries, ${failures} retried failures, ${deadLetters} dead letters`,
  );
  const truths: KeyTruth[] = [];
  for (const key of keys) {
    const sequencer = newest.get(key);
    if (sequencer) truths.push({ key, bytes: await pipeline.current(key), newestSequencer: sequencer });
  }
  return { operations, deliveries, failures, deadLetters, report: checkTable(truths, await pipeline.scan()) };
};
