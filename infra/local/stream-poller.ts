import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';

/** Whatever the stream handler answers; a throw fails the batch, which is retried, as Lambda does. */
export type StreamHandler = (event: unknown) => Promise<unknown>;

export interface StreamPollerOptions {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  handler: StreamHandler;
  /** Records per invocation (the event source mapping's BatchSize). */
  batchSize: number;
  /** Wait between polls of a shard that had nothing new (Lambda polls a stream about four times a second). */
  idlePollMs: number;
  /** Wait before a failed batch is delivered again. */
  retryMs: number;
  onInvocation?: (info: { shardId: string; records: number; error: unknown; ms: number }) => void;
  /**
   * Where each shard's last delivered sequence number is kept (Lambda's checkpoint), so a restart resumes there
   * instead of replaying the stream. Without it every start reads from the trim horizon (harmless, slower).
   */
  checkpoints?: { load(): Record<string, string>; save(all: Record<string, string>): void };
}

/** Lambda's event shape: the SDK hands back a Date where Lambda sends epoch seconds. */
const toLambdaRecord = (record: StreamRecord, streamArn: string) => ({
  ...record,
  eventSourceARN: streamArn,
  dynamodb: {
    ...record.dynamodb,
    ApproximateCreationDateTime:
      record.dynamodb?.ApproximateCreationDateTime instanceof Date
        ? record.dynamodb.ApproximateCreationDateTime.getTime() / 1000
        : undefined,
  },
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads the table's stream from DynamoDB Local and invokes the handler like the Lambda event source mapping for
 * DynamoDB Streams: one shard at a time in order, a parent shard before its children, a failed batch retried
 * until it succeeds (nothing after it in that shard is delivered meanwhile), and `shardId` in the event as a
 * tumbling-window mapping sends it. It starts from the trim horizon on every start: the consumer's markers make
 * a replay count nothing twice.
 */
export const startStreamPoller = (options: StreamPollerOptions) => {
  const { streams, streamArn } = options;
  let stopped = false;
  let busy = false;
  /** Shards read to their end (closed); their children may start. */
  const finished = new Set<string>();
  const iterators = new Map<string, string>();
  const checkpoints: Record<string, string> = { ...options.checkpoints?.load() };
  /** Passes over the shards completed, and how many of the latest in a row found nothing. */
  let passes = 0;
  let quietStreak = 0;

  /** The shard list changes rarely (DynamoDB Local rolls shards every few hours): re-read it about once a second. */
  let listed: { at: number; shards: Shard[] } | null = null;
  const shards = async (): Promise<Shard[]> => {
    if (listed && Date.now() - listed.at < 1_000) return listed.shards;
    const all: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      all.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    listed = { at: Date.now(), shards: all };
    return all;
  };

  const iteratorFor = async (shardId: string) => {
    const known = iterators.get(shardId);
    if (known) return known;
    const after = checkpoints[shardId];
    if (after) {
      try {
        const resumed = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
            SequenceNumber: after,
          }),
        );
        if (resumed.ShardIterator) return resumed.ShardIterator;
      } catch {
        // Trimmed past the checkpoint: read what is left from the horizon (the consumer counts nothing twice).
      }
    }
    const out = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    return out.ShardIterator ?? null;
  };

  const deliver = async (shardId: string, records: StreamRecord[]) => {
    const event = {
      Records: records.map((r) => toLambdaRecord(r, streamArn)),
      shardId,
      eventSourceARN: streamArn,
    };
    for (;;) {
      const started = Date.now();
      try {
        await options.handler(event);
        options.onInvocation?.({ shardId, records: records.length, error: null, ms: Date.now() - started });
        return;
      } catch (error) {
        options.onInvocation?.({ shardId, records: records.length, error, ms: Date.now() - started });
        if (stopped) return;
        await sleep(options.retryMs);
      }
    }
  };

  /** One pass over the readable shards; true when some shard had records. */
  const pass = async (): Promise<boolean> => {
    let found = false;
    const all = await shards();
    const ids = new Set(all.map((s) => s.ShardId));
    for (const shard of all) {
      const shardId = shard.ShardId;
      if (!shardId || finished.has(shardId)) continue;
      // A parent still listed and not read to its end goes first (records of one key stay in order).
      if (shard.ParentShardId && ids.has(shard.ParentShardId) && !finished.has(shard.ParentShardId)) continue;
      const iterator = await iteratorFor(shardId);
      if (!iterator) {
        finished.add(shardId);
        continue;
      }
      const out = await streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize }),
      );
      const records = out.Records ?? [];
      if (records.length > 0) {
        found = true;
        busy = true;
        try {
          await deliver(shardId, records);
        } finally {
          busy = false;
        }
        const last = records.at(-1)?.dynamodb?.SequenceNumber;
        if (last && !stopped) {
          checkpoints[shardId] = last;
          options.checkpoints?.save(checkpoints);
        }
      }
      if (out.NextShardIterator) iterators.set(shardId, out.NextShardIterator);
      else {
        iterators.delete(shardId);
        finished.add(shardId);
      }
    }
    return found;
  };

  let failures = 0;
  let lastError: string | null = null;
  const loop = (async () => {
    while (!stopped) {
      try {
        const found = await pass();
        failures = 0;
        lastError = null;
        passes += 1;
        quietStreak = found ? 0 : quietStreak + 1;
        if (!found) await sleep(options.idlePollMs);
      } catch (error) {
        // DynamoDB Local stopping, or an expired iterator: start the shards' reads again (replays are harmless).
        failures += 1;
        lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        iterators.clear();
        listed = null;
        quietStreak = 0;
        if (!stopped) await sleep(Math.min(1_000, options.retryMs * failures));
      }
    }
  })();

  return {
    /** Down after two failed passes in a row (one can be an expired iterator), with the last error. */
    health: (): { ok: boolean; error: string | null } => ({ ok: failures < 2, error: lastError }),
    /**
     * Resolves once the stream has been read to its current end: a whole pass that began after this call found
     * nothing new.
     */
    async caughtUp(timeoutMs = 30_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      // The pass running now may have read a shard before the caller's last write: wait for one that began after.
      const after = passes + 2;
      while (!stopped && !(passes >= after && quietStreak >= 1 && !busy)) {
        if (Date.now() > deadline) throw new Error(`table stream still busy after ${timeoutMs} ms`);
        await sleep(5);
      }
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
};

export type StreamPoller = ReturnType<typeof startStreamPoller>;
