import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { makeArticle } from './articles';
import { intBetween, makeRng, pick } from './rng';
import type { StackDrill } from './stack-drill';
import { checkTable, type TableReport } from './table-check';

/**
 * Drill 2 through the whole local pipeline: parallel workers put and delete the same keys in s3rver with no
 * coordination at all, so the bridge sees overlapping writes, events for objects already replaced or gone, and
 * deletes racing puts. Once the pipeline is idle, the table must equal the bucket.
 */
export interface StackRaceResult {
  puts: number;
  deletes: number;
  report: TableReport;
}

const current = async (drill: StackDrill, key: string): Promise<Uint8Array | null> => {
  try {
    const out = await drill.s3.send(new GetObjectCommand({ Bucket: drill.stack.bucket, Key: key }));
    return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
  } catch (error) {
    if (error instanceof Error && error.name === 'NoSuchKey') return null;
    throw error;
  }
};

export const runStackRaceDrill = async (
  drill: StackDrill,
  options: {
    keys: number;
    workers: number;
    opsPerWorker: number;
    seed: number;
    idleTimeoutMs: number;
    log?: (line: string) => void;
  },
): Promise<StackRaceResult> => {
  const keys = Array.from({ length: options.keys }, (_, i) => `stack-races/key ${i}+é.txt`);
  let puts = 0;
  let deletes = 0;
  const worker = async (index: number) => {
    const rng = makeRng(options.seed * 100 + index);
    for (let op = 0; op < options.opsPerWorker; op++) {
      const Key = pick(rng, keys);
      if (rng() < 0.35) {
        await drill.s3.send(new DeleteObjectCommand({ Bucket: drill.stack.bucket, Key }));
        deletes += 1;
      } else {
        const Body = Buffer.from(makeArticle(rng).text, 'utf8');
        await drill.s3.send(new PutObjectCommand({ Bucket: drill.stack.bucket, Key, Body }));
        puts += 1;
      }
      if (intBetween(rng, 0, 2) === 0) await new Promise((r) => setTimeout(r, intBetween(rng, 0, 10)));
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, i) => worker(i)));
  await drill.stack.waitForIdle(options.idleTimeoutMs);
  const items = await drill.scan();
  const sequencers = new Map(
    items.filter((i) => i.sk === 'RECORD').map((i) => [String(i.key), String(i.sequencer)]),
  );
  const truths = [];
  for (const key of keys)
    truths.push({ key, bytes: await current(drill, key), newestSequencer: sequencers.get(key) ?? '0' });
  const report = checkTable(truths, items);
  options.log?.(
    `stack races: ${options.workers} workers, ${puts} puts and ${deletes} deletes on ${options.keys} keys through s3rver, the bridge and the queue; ${report.problems.length} problems`,
  );
  return { puts, deletes, report };
};
