import type { SQSRecord } from 'aws-lambda';
import { notification } from '../../support/sqs-events';
import { makeArticle } from './articles';
import { type DeliveryStats, deliver, type Pipeline } from './pipeline';
import { intBetween, makeRng, shuffle } from './rng';
import { checkTable, type KeyTruth, type TableReport } from './table-check';

/**
 * Drill 1: every notification delivered one to five times, all shuffled, straight into the ingest handler.
 * Each key gets a short history (create, overwrite, delete, re-create) applied to the bucket in order; the
 * notifications then arrive in any order and any number of times, and the table must end exactly as the
 * newest event of every key says.
 */
export interface DeliveryOptions {
  notifications: number;
  seed: number;
  maxCopies: number;
  instances: number;
  log?: (line: string) => void;
}

export interface DeliveryResult {
  notifications: number;
  deliveries: number;
  keys: number;
  liveObjects: number;
  stats: DeliveryStats;
  report: TableReport;
  /** Keys whose bucket content is not the model's last write (an s3rver quirk, reported, not a pipeline fault). */
  bucketMismatches: string[];
  /** Keys whose bucket content changed while the notifications were delivered (must be none). */
  bucketChanged: string[];
}

const TOO_SHORT = 'The harbour wall will be rebuilt.';

export const runDeliveryDrill = async (
  pipeline: Pipeline,
  options: DeliveryOptions,
): Promise<DeliveryResult> => {
  const rng = makeRng(options.seed);
  const log = options.log ?? (() => {});
  let sequence = BigInt(0x10000000) * BigInt(options.seed + 1);
  const nextSequencer = () => {
    sequence += BigInt(intBetween(rng, 1, 1000));
    // Fixed width (18 hex digits, as S3's are): right-padded comparison then orders them as numbers.
    return sequence.toString(16).toUpperCase().padStart(18, '0');
  };
  const model = new Map<string, { bytes: Buffer | null; newest: string }>();
  const events: SQSRecord[] = [];
  let keyIndex = 0;
  while (events.length < options.notifications) {
    const key = `delivery-${options.seed}/${String(keyIndex++).padStart(5, '0')} item.txt`;
    const history = intBetween(rng, 1, 3);
    for (let step = 0; step < history && events.length < options.notifications; step++) {
      const sequencer = nextSequencer();
      const remove = step > 0 && rng() < 0.3;
      if (remove) {
        await pipeline.remove(key);
        model.set(key, { bytes: null, newest: sequencer });
        events.push(
          notification({ key, sequencer, eventName: 'ObjectRemoved:Delete', bucket: pipeline.bucket }),
        );
        continue;
      }
      const roll = rng();
      const text = roll < 0.1 ? TOO_SHORT : makeArticle(rng, roll > 0.9).text;
      const bytes = Buffer.from(text, 'utf8');
      const eTag = await pipeline.put(key, bytes);
      model.set(key, { bytes, newest: sequencer });
      events.push(notification({ key, sequencer, bucket: pipeline.bucket, size: bytes.length, eTag }));
    }
  }
  // s3rver answers a PUT before its file is fully written; let the last writes land, then take the bucket as it
  // is (the handler reads the object its event names, by eTag; an older event finds the key changed and writes
  // nothing, so the bucket, not the model, is what the table must equal).
  await new Promise((r) => setTimeout(r, 200));
  const bucketMismatches: string[] = [];
  const before = new Map<string, Uint8Array | null>();
  for (const [key, { bytes }] of model) {
    const current = await pipeline.current(key);
    before.set(key, current);
    const same = bytes === null ? current === null : current !== null && Buffer.compare(bytes, current) === 0;
    if (!same) bucketMismatches.push(key);
  }
  if (bucketMismatches.length > 0)
    log(`delivery: s3rver holds something other than the last write for ${bucketMismatches.join(', ')}`);
  const copies: SQSRecord[] = [];
  for (const event of events) {
    const n = intBetween(rng, 1, options.maxCopies);
    for (let c = 0; c < n; c++) copies.push({ ...event, messageId: `${event.messageId}-${c}` });
  }
  shuffle(rng, copies);
  log(
    `delivery: ${events.length} notifications for ${model.size} keys, ${copies.length} deliveries shuffled`,
  );

  const instances = Array.from({ length: options.instances }, () => pipeline.newInstance().handler);
  const stats = await deliver(copies, instances, { batchSize: 10, maxReceives: 5 });
  log(
    `delivery: ${stats.invocations} invocations of ${options.instances} instances, ${stats.failures} record failures, ${stats.deadLetters.length} dead letters`,
  );

  const truths: KeyTruth[] = [];
  const bucketChanged: string[] = [];
  for (const [key, { newest }] of model) {
    const current = await pipeline.current(key);
    const earlier = before.get(key) ?? null;
    const same =
      earlier === null ? current === null : current !== null && Buffer.compare(earlier, current) === 0;
    if (!same) bucketChanged.push(key);
    truths.push({ key, bytes: current, newestSequencer: newest });
  }
  const report = checkTable(truths, await pipeline.scan());
  return {
    notifications: events.length,
    deliveries: copies.length,
    keys: model.size,
    liveObjects: truths.filter((t) => t.bytes !== null).length,
    stats,
    report,
    bucketMismatches,
    bucketChanged,
  };
};
