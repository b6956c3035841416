import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { ReprocessMessageSchema } from '../../functions/ingest/event';
import type { UploadOutcomeSummary } from './handler-types';

/**
 * The local stand-in for the reprocess state machine (infra/constructs/reprocess.ts): lists s3rver's bucket and
 * sends every key to the local queue as a reprocess message, which the ingest handler settles like any other.
 * Unlike the Step Functions run, it also follows each message to its end, so `npm run reprocess` can say what
 * became of every object.
 */
export const ReprocessProgressSchema = z.object({
  run: z.string(),
  prefix: z.string(),
  /** When the run began (ISO 8601): an outcome written since was written by the run. */
  startedAt: z.string(),
  listing: z.boolean(),
  listed: z.number(),
  restored: z.number(),
  unchanged: z.number(),
  rejected: z.number(),
  deleted: z.number(),
  failed: z.number(),
  finished: z.boolean(),
  error: z.string().nullable(),
});
export type ReprocessProgress = z.infer<typeof ReprocessProgressSchema>;

/** The body of POST /_local/reprocess. */
export const ReprocessStartSchema = z.object({ prefix: z.string().default('') });

export interface ReprocessRunnerOptions {
  s3: S3Client;
  bucket: string;
  send: (body: string) => void;
  getOutcome: (key: string) => Promise<(UploadOutcomeSummary & { at?: string | undefined }) | null>;
}

const settledCount = (p: ReprocessProgress) => p.restored + p.unchanged + p.rejected + p.deleted + p.failed;

/** What the outcome after the message says: written by this run (at or after its start) or left as it was. */
const classify = (
  outcome: (UploadOutcomeSummary & { at?: string | undefined }) | null,
  startedAt: string,
): 'restored' | 'unchanged' | 'rejected' | 'deleted' | 'failed' => {
  if (!outcome) return 'failed';
  if (outcome.status === 'rejected') return 'rejected';
  const written = outcome.at !== undefined && outcome.at >= startedAt;
  if (!written) return 'unchanged';
  return outcome.status === 'deleted' ? 'deleted' : 'restored';
};

export const makeReprocessRunner = (options: ReprocessRunnerOptions) => {
  let current: ReprocessProgress | null = null;
  /**
   * Keys of the current run already counted: delivery is at least once (a message whose invocation outlives the
   * visibility timeout is delivered again), and each object is counted once, by its first settlement.
   */
  let counted = new Set<string>();

  const keyOfOwnMessage = (body: string): string | null => {
    if (!current) return null;
    try {
      const parsed = ReprocessMessageSchema.safeParse(JSON.parse(body));
      return parsed.success && parsed.data.reprocess.run === current.run ? parsed.data.reprocess.key : null;
    } catch {
      return null;
    }
  };
  const finishIfDone = (run: ReprocessProgress) => {
    if (!run.listing && settledCount(run) >= run.listed) run.finished = true;
  };

  const list = async (run: ReprocessProgress) => {
    let ContinuationToken: string | undefined;
    do {
      const page = await options.s3.send(
        new ListObjectsV2Command({
          Bucket: options.bucket,
          ...(run.prefix ? { Prefix: run.prefix } : {}),
          ...(ContinuationToken ? { ContinuationToken } : {}),
        }),
      );
      for (const { Key, ETag, Size } of page.Contents ?? []) {
        if (!Key) continue;
        const reprocess = { bucket: options.bucket, key: Key, eTag: ETag, size: Size, run: run.run };
        options.send(JSON.stringify({ reprocess }));
        run.listed += 1;
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  };

  return {
    /** Starts a run unless one is under way (then that one is returned). */
    start(prefix: string): ReprocessProgress {
      if (current && !current.finished) return current;
      const run: ReprocessProgress = {
        run: `local-${randomUUID()}`,
        prefix,
        startedAt: new Date().toISOString(),
        listing: true,
        listed: 0,
        restored: 0,
        unchanged: 0,
        rejected: 0,
        deleted: 0,
        failed: 0,
        finished: false,
        error: null,
      };
      current = run;
      counted = new Set();
      list(run).then(
        () => {
          run.listing = false;
          finishIfDone(run);
        },
        (error: unknown) => {
          run.listing = false;
          run.error = `listing the bucket failed: ${error instanceof Error ? error.message : String(error)}`;
          finishIfDone(run);
        },
      );
      return run;
    },
    progress: (): ReprocessProgress | null => current,
    /** Messages the ingest handler finished with (deleted from the queue). */
    async settled(bodies: readonly string[]): Promise<void> {
      const run = current;
      for (const body of bodies) {
        const key = keyOfOwnMessage(body);
        if (!run || key === null || counted.has(key)) continue;
        counted.add(key);
        const outcome = await options.getOutcome(key).catch(() => null);
        run[classify(outcome, run.startedAt)] += 1;
        finishIfDone(run);
      }
    },
    /** A message parked in the DLQ after its retries. */
    deadLettered(body: string): void {
      const run = current;
      const key = keyOfOwnMessage(body);
      if (!run || key === null || counted.has(key)) return;
      counted.add(key);
      run.failed += 1;
      finishIfDone(run);
    },
  };
};

export type ReprocessRunner = ReturnType<typeof makeReprocessRunner>;
