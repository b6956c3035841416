import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { MAX_ARTICLE_BYTES, normaliseArticle } from '../core/index';
import { makeObservability, type Observability, publishMetrics } from '../shared/observability';
import type { RecordWriter } from '../store/record-writer';
import { type Normalise, processRecord, RECORD_LOG_KEYS } from './process-record';

export interface IngestDeps {
  s3: S3Client;
  store: Pick<RecordWriter, 'write' | 'check' | 'checkReprocess'>;
  observability?: Observability;
  /** The article core (default: normaliseArticle); tests may pass a stand-in. */
  normalise?: Normalise;
  /** The parser version `normalise` stamps (default: the core's PARSER_VERSION); a stand-in core passes its own. */
  parserVersion?: string;
  maxObjectBytes?: number;
  now?: () => number;
  /** Don't start a record with less time than this left in the invocation (default MIN_REMAINING_MS). */
  minRemainingMs?: number;
}

/**
 * Time a record must have left to be started: well above the slowest record measured (a 1 MiB hostile file,
 * under 1 s here; a 1024 MB Lambda is slower) with room for the write and its retries.
 */
export const MIN_REMAINING_MS = 10_000;

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

export type IngestHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * The ingest Lambda, built from its dependencies (the deployed handler, the local stack and the tests each pass
 * their own clients).
 *
 * Records are processed one after another, in delivery order. Two records for the same key in one batch are
 * therefore never in flight together; whichever order they come in, the conditional writes on the key's
 * sequencer leave the newest event's state. (The work is CPU-bound in the core, so parallel processing would
 * buy little.) A record that throws is reported in batchItemFailures and redelivered alone.
 */
export const makeIngestHandler = (deps: IngestDeps): IngestHandler => {
  const observability = deps.observability ?? makeObservability('ingest');
  const recordDeps = {
    s3: deps.s3,
    store: deps.store,
    normalise: deps.normalise ?? normaliseArticle,
    observability,
    maxObjectBytes: deps.maxObjectBytes ?? MAX_ARTICLE_BYTES,
    now: deps.now ?? (() => Date.now()),
    ...(deps.parserVersion ? { parserVersion: deps.parserVersion } : {}),
  };
  const { logger, metrics } = observability;
  const handleRecord = async (record: SQSRecord, context: Context, reserveMs: number, first: boolean) => {
    // A record is only started with enough time left to finish it; the rest of the batch is reported failed
    // and redelivered, instead of the whole invocation timing out and every record in it counting a receive.
    // The first record always starts, so every invocation makes progress.
    if (!first && context.getRemainingTimeInMillis() < reserveMs) {
      logger.warn('too little time left in this invocation; record left for redelivery', {
        messageId: record.messageId,
      });
      throw new DeadlineError('too little time left in this invocation to start the record');
    }
    try {
      await processRecord(record, recordDeps);
    } catch (error) {
      logger.error('record failed; it will be retried', { messageId: record.messageId, error });
      // The stack's RecordsFailed alarm (infra/constructs/monitoring.ts) fires on this within minutes, where the DLQ
      // alarm would wait for the fifth receive.
      metrics.addMetric('RecordsFailed', MetricUnit.Count, 1);
      throw error;
    } finally {
      logger.removeKeys(RECORD_LOG_KEYS);
    }
  };
  return async (event, context) => {
    logger.addContext(context);
    // One processor per invocation: a processor keeps the batch's records and failures in its own fields, so a
    // shared one lets concurrent invocations (the local poller runs two) wipe each other's failures, which
    // acknowledges records that were never applied.
    const processor = new BatchProcessor(EventType.SQS);
    // The reserve scales down for short function timeouts (a quarter of the time this invocation started with).
    const reserveMs = Math.min(
      deps.minRemainingMs ?? MIN_REMAINING_MS,
      context.getRemainingTimeInMillis() / 4,
    );
    let started = 0;
    try {
      return await processPartialResponse(
        event,
        (record: SQSRecord) => handleRecord(record, context, reserveMs, started++ === 0),
        processor,
        {
          context,
          processInParallel: false,
        },
      );
    } finally {
      publishMetrics(metrics);
    }
  };
};
