import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { SequencerSchema } from '../../functions/store/sequencer';
import type { Verifier } from '../../functions/verify/verifier';
import type { HttpApiHandler } from './http-server';
import type { SqsHandler } from './poller';
import type { StreamHandler } from './stream-poller';

/** What the local stack runs: the real handlers (./handlers.ts) or stand-ins in tests. */
export interface HandlerDeps {
  s3: S3Client;
  dynamodb: DynamoDBClient;
  tableName: string;
  /** The upload bucket. */
  bucket: string;
  /** The local stand-in for the stack's body bucket (article bodies too large for their item). */
  bodyBucket: string;
  cursorSecret: string;
  corsAllowOrigins: string[];
}
export interface LocalHandlers {
  ingest: SqsHandler;
  api: HttpApiHandler;
  /**
   * The table stream's consumers (derive, then count: ./handler-types.ts streamHandlers); stand-in handler sets may
   * leave it out.
   */
  stream?: StreamHandler;
  /** `npm run verify` (POST /_local/verify); stand-in handler sets may leave it out. */
  verifier?: Verifier;
  /**
   * An object's recorded outcome, or null. Enables start-up reconciliation (see ./reconcile.ts) and one log
   * line per processed upload saying what became of it.
   */
  getOutcome?: (key: string) => Promise<UploadOutcomeSummary | null>;
}
export interface UploadOutcomeSummary {
  status: string;
  articleId?: string | undefined;
  reason?: string | undefined;
  detail?: string | undefined;
  /** When the outcome was written (ISO 8601); `npm run reprocess` tells re-stored from unchanged by it. */
  at?: string | undefined;
  /** The (padded) sequencer of the event that recorded this outcome. */
  sequencer?: string | undefined;
}
export type MakeHandlers = (deps: HandlerDeps) => LocalHandlers | Promise<LocalHandlers>;

/**
 * Event source mapping settings. Batch size and maxReceiveCount match the stack (infra/constructs/
 * ingest-pipeline.ts). The stack's 2 s batching window and minutes-long visibility timeout would make a laptop
 * wait for nothing, so locally a record is handed over as soon as it arrives and a failure is retried after 2 s;
 * as on AWS, a message is not handed out again while its invocation runs (up to the function timeout).
 */
export const LOCAL_INGEST_TUNING = {
  batchSize: 10,
  batchingWindowMs: 0,
  visibilityTimeoutMs: 2_000,
  maxReceiveCount: 5,
  concurrency: 2,
  functionTimeoutMs: 60_000,
};

/** The event a processed message carried, when the line describes one. */
export interface ProcessedEvent {
  eventName: string;
  sequencer: string;
}

/**
 * One readable line for what became of an upload. An event older than the one that recorded the outcome was
 * skipped as stale: the line says so rather than claim the event had the newer one's effect.
 */
export const describeOutcome = (
  key: string,
  outcome: UploadOutcomeSummary | null,
  event?: ProcessedEvent,
): string => {
  if (!outcome) return `${key}: no outcome recorded (a newer event for this key may be pending)`;
  const sequencer = event && SequencerSchema.safeParse(event.sequencer).data;
  if (event && sequencer && outcome.sequencer && outcome.sequencer > sequencer)
    return `skipped a stale ${event.eventName} for ${key} (a newer event left it ${outcome.status})`;
  if (outcome.status === 'ingested') return `ingested ${key} -> /articles/${outcome.articleId ?? '?'}`;
  if (outcome.status === 'rejected')
    return `rejected ${key}: ${outcome.reason ?? 'unknown reason'}${outcome.detail ? ` (${outcome.detail})` : ''}`;
  return `${outcome.status} ${key}`;
};

/**
 * The two consumers AWS runs as two event source mappings of the table stream, run locally from one reader of the
 * stream: each takes the records its mapping's filter would pass (each filters the batch itself). A failure of
 * either fails the batch, which is delivered again; both are idempotent, so the other one's second run is harmless.
 */
export const streamHandlers =
  (consumers: { derive: StreamHandler; count: StreamHandler }): StreamHandler =>
  async (event) => {
    await consumers.derive(event);
    return consumers.count(event);
  };
