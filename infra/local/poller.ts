import type { Context, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { makeLambdaContext } from './lambda-context';
import type { LocalQueue, Received } from './queue';
import { toSqsEvent } from './sqs-event';

/** Returns an SQSBatchResponse (or nothing); the poller validates whatever comes back, as Lambda would. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

export interface PollerOptions {
  queue: LocalQueue;
  queueArn: string;
  handler: SqsHandler;
  functionName: string;
  /** Records per invocation (the event source mapping's BatchSize). */
  batchSize: number;
  /** How long to gather a batch once the first record is there (MaximumBatchingWindowInSeconds, in ms). */
  batchingWindowMs: number;
  /** Invocations running at once (the mapping's maximum concurrency). */
  concurrency: number;
  functionTimeoutMs: number;
  onInvocation?: (info: {
    records: number;
    failed: number;
    error: string | null;
    ms: number;
    /** Bodies of the messages processed successfully (and deleted). */
    done: string[];
  }) => void;
  /** A worker loop died (not a handler failure: those are the records' outcomes): the stack stops. */
  onCrash?: (error: unknown) => void;
}

const BatchResponseSchema = z
  .object({ batchItemFailures: z.array(z.object({ itemIdentifier: z.string() })).optional() })
  .nullish();

/**
 * Which receipts failed, by the rules of ReportBatchItemFailures: listed ids fail; a response naming an id that
 * is not in the batch (or an empty id), a malformed response or a thrown error fails the whole batch.
 */
export const failedReceipts = (
  batch: readonly Received[],
  outcome: { response: unknown } | { error: unknown },
): { failed: Set<string>; reason: string } => {
  const all = new Set(batch.map((r) => r.receiptHandle));
  if ('error' in outcome) return { failed: all, reason: errorText(outcome.error) };
  const parsed = BatchResponseSchema.safeParse(outcome.response);
  if (!parsed.success) return { failed: all, reason: 'handler returned a malformed batch response' };
  const byId = new Map(batch.map((r) => [r.message.messageId, r.receiptHandle]));
  const failed = new Set<string>();
  for (const { itemIdentifier } of parsed.data?.batchItemFailures ?? []) {
    const receipt = byId.get(itemIdentifier);
    if (!receipt) return { failed: all, reason: `batchItemFailures named an unknown id "${itemIdentifier}"` };
    failed.add(receipt);
  }
  return { failed, reason: 'reported in batchItemFailures' };
};

const errorText = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** Polls the local queue and invokes the handler like the Lambda SQS event source mapping. */
export const startPoller = (options: PollerOptions) => {
  const { queue } = options;
  let stopped = false;
  let running = 0;
  const sleepers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...sleepers]) wake();
  };
  queue.on('message', wakeAll);

  const sleep = (ms: number | null) =>
    new Promise<void>((resolve) => {
      const timer = ms === null ? null : setTimeout(done, ms);
      function done() {
        if (timer) clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      }
      sleepers.add(done);
    });

  const collect = async (): Promise<Received[]> => {
    const batch = queue.receive(options.batchSize);
    if (batch.length === 0 || batch.length >= options.batchSize || options.batchingWindowMs <= 0)
      return batch;
    const until = Date.now() + options.batchingWindowMs;
    while (!stopped && batch.length < options.batchSize && Date.now() < until) {
      await sleep(until - Date.now());
      batch.push(...queue.receive(options.batchSize - batch.length));
    }
    return batch;
  };

  const invoke = async (batch: Received[]) => {
    const started = Date.now();
    const context = makeLambdaContext(options.functionName, options.functionTimeoutMs);
    let outcome: { response: unknown } | { error: unknown };
    let timer: NodeJS.Timeout | undefined;
    // Like Lambda, an invocation that outlives the function timeout fails its whole batch (the local handler
    // cannot be frozen, so it finishes in the background and its late result is ignored).
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`Task timed out after ${(options.functionTimeoutMs / 1000).toFixed(2)} seconds`)),
        options.functionTimeoutMs,
      );
    });
    try {
      outcome = {
        response: await Promise.race([
          options.handler(toSqsEvent(batch, options.queueArn), context),
          timedOut,
        ]),
      };
    } catch (error) {
      outcome = { error };
    } finally {
      clearTimeout(timer);
    }
    const { failed, reason } = failedReceipts(batch, outcome);
    const done: string[] = [];
    for (const { receiptHandle, message } of batch) {
      if (failed.has(receiptHandle)) queue.fail(receiptHandle, reason);
      else {
        queue.delete(receiptHandle);
        done.push(message.body);
      }
    }
    options.onInvocation?.({
      records: batch.length,
      failed: failed.size,
      error: 'error' in outcome ? reason : null,
      ms: Date.now() - started,
      done,
    });
  };

  const worker = async () => {
    while (!stopped) {
      const batch = await collect();
      if (batch.length === 0) {
        await sleep(queue.nextVisibleInMs());
        continue;
      }
      running += 1;
      try {
        await invoke(batch);
      } finally {
        running -= 1;
      }
    }
  };

  let crashed: string | null = null;
  const workers = Array.from({ length: options.concurrency }, () =>
    worker().catch((error: unknown) => {
      crashed ??= errorText(error);
      options.onCrash?.(error);
    }),
  );

  return {
    /** True when no invocation is running and nothing is waiting or due for a retry. */
    isIdle: () => running === 0 && queue.size === 0,
    /** Null while every worker loop runs; else why one stopped. */
    crashed: () => crashed,
    stop: async () => {
      stopped = true;
      queue.off('message', wakeAll);
      wakeAll();
      await Promise.all(workers);
    },
  };
};

export type Poller = ReturnType<typeof startPoller>;
