import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { isRejection, type NormaliseResult, PARSER_VERSION, type Source } from '../core/article';
import type { Observability } from '../shared/observability';
import type { ArticleWriter, WriteResult } from '../store/article-writer';
import type { WriteChange } from '../store/write-plan';
import { type ObjectEvent, parseBody, type ReprocessItem } from './event';
import { fetchObject } from './fetch-object';

export type Normalise = (bytes: Uint8Array, key: string, source?: Partial<Source>) => NormaliseResult;

export interface RecordDeps {
  s3: S3Client;
  store: ArticleWriter;
  normalise: Normalise;
  observability: Observability;
  maxObjectBytes: number;
  /** Wall clock (epoch ms) for event-to-stored latency. */
  now: () => number;
  /** The version `normalise` stamps on articles (a reprocess skips articles it already made). */
  parserVersion?: string;
}

export const GONE_DETAIL = 'the object no longer existed when its event was processed (NoSuchKey)';
const tooLargeDetail = (size: number, max: number) =>
  `the object is ${size} bytes; the largest accepted is ${max} bytes (MAX_ARTICLE_BYTES)`;

const METRIC_OF = {
  ingested: 'ArticlesIngested',
  rejected: 'ArticlesRejected',
  deleted: 'ArticlesDeleted',
} as const;

/** What to write for a created object: read it (unless it is already known to be too big) and run the core. */
const changeForCreate = async (
  event: Pick<ObjectEvent, 'bucket' | 'key' | 'size'>,
  deps: RecordDeps,
): Promise<WriteChange> => {
  const max = deps.maxObjectBytes;
  if (event.size !== undefined && event.size > max)
    return { kind: 'rejected', reason: 'too-large', detail: tooLargeDetail(event.size, max) };
  const fetched = await fetchObject(deps.s3, event.bucket, event.key, max);
  if (fetched.kind === 'gone') return { kind: 'deleted', detail: GONE_DETAIL };
  if (fetched.kind === 'too-large')
    return { kind: 'rejected', reason: 'too-large', detail: tooLargeDetail(fetched.size, max) };
  const source: Partial<Source> = { bucket: event.bucket, size: fetched.size };
  if (fetched.eTag) source.eTag = fetched.eTag;
  if (fetched.versionId) source.versionId = fetched.versionId;
  // performance.now, not the injected wall clock: the core takes about a millisecond, below Date.now's resolution.
  const started = performance.now();
  const result = deps.normalise(fetched.bytes, event.key, source);
  deps.observability.metrics.addMetric('ParseTimeMs', MetricUnit.Milliseconds, performance.now() - started);
  if (isRejection(result)) return { kind: 'rejected', reason: result.reason, detail: result.detail };
  return { kind: 'ingested', article: result };
};

const record = (event: ObjectEvent, result: WriteResult, deps: RecordDeps) => {
  const { logger, metrics } = deps.observability;
  logger.info('event applied', {
    effect: result.effect,
    recorded: result.recorded,
    mode: result.mode,
    itemsWritten: result.itemsWritten,
    writeUnits: result.writeUnits,
    ...(result.rejection ? { rejection: result.rejection } : {}),
  });
  if (!result.recorded || result.effect === 'stale' || result.effect === 'duplicate') {
    // Counted so duplicate storms show on a dashboard (and a batch of them is never an empty EMF blob).
    metrics.addMetric('EventsSkipped', MetricUnit.Count, 1);
    return;
  }
  metrics.addMetric(METRIC_OF[result.recorded], MetricUnit.Count, 1);
  if (event.eventTime) {
    const latency = deps.now() - Date.parse(event.eventTime);
    if (Number.isFinite(latency))
      metrics.addMetric('EventToStoredLatencyMs', MetricUnit.Milliseconds, latency);
  }
};

const applyEvent = async (event: ObjectEvent, deps: RecordDeps) => {
  // A duplicate or stale delivery stops here: no GetObject, no parsing, one Query.
  const verdict = await deps.store.check?.(event.key, event.sequencer);
  if (verdict === 'stale' || verdict === 'duplicate') {
    deps.observability.logger.info('event already superseded, acknowledged', { verdict });
    deps.observability.metrics.addMetric('EventsSkipped', MetricUnit.Count, 1);
    return;
  }
  const change: WriteChange =
    event.action === 'remove' ? { kind: 'deleted' } : await changeForCreate(event, deps);
  const result = await deps.store.write({
    key: event.key,
    sequencer: event.sequencer,
    ...(event.eventTime ? { eventTime: event.eventTime } : {}),
    change,
  });
  record(event, result, deps);
};

/**
 * A reprocess never outranks a real event: the store writes it under the sequencer it found (see
 * functions/store/reprocess-plan.ts), so an upload or delete of the key, before or after, keeps the last word.
 */
const applyReprocess = async (item: ReprocessItem, deps: RecordDeps) => {
  const { logger, metrics } = deps.observability;
  if (!deps.store.checkReprocess) throw new TypeError('this store cannot apply reprocess messages');
  const probe = { eTag: item.eTag, parserVersion: deps.parserVersion ?? PARSER_VERSION };
  const check = await deps.store.checkReprocess(item.key, probe);
  if (check.verdict === 'unchanged') {
    logger.info('reprocess: stored article is current', { run: item.run });
    metrics.addMetric('ReprocessUnchanged', MetricUnit.Count, 1);
    return;
  }
  const change = await changeForCreate(item, deps);
  const result = await deps.store.write({ key: item.key, sequencer: check.basis, reprocess: true, change });
  logger.info('reprocess applied', { run: item.run, effect: result.effect, recorded: result.recorded });
  metrics.addMetric(result.recorded ? 'ReprocessRestored' : 'ReprocessUnchanged', MetricUnit.Count, 1);
  if (result.recorded) metrics.addMetric(METRIC_OF[result.recorded], MetricUnit.Count, 1);
};

/**
 * One SQS record. Returns normally for everything that is settled (applied, stale, duplicate, test event,
 * malformed message); throws only for failures worth retrying, which the batch processor reports as this
 * record's failure alone.
 */
/** Log keys processRecord sets for each event; the caller removes them once the record is done. */
export const RECORD_LOG_KEYS = ['bucket', 'key', 'sequencer'];

export const processRecord = async (sqsRecord: SQSRecord, deps: RecordDeps): Promise<void> => {
  const { logger, metrics } = deps.observability;
  const parsed = parseBody(sqsRecord.body);
  if (parsed.kind === 'test') {
    logger.info('s3:TestEvent acknowledged', { messageId: sqsRecord.messageId });
    return;
  }
  if (parsed.kind === 'malformed') {
    // Retrying cannot fix a malformed message: log it, record what can be recovered, and let it go.
    logger.error('malformed notification acknowledged', {
      messageId: sqsRecord.messageId,
      problem: parsed.problem,
    });
    metrics.addMetric('MalformedEvents', MetricUnit.Count, 1);
    for (const { key, sequencer } of parsed.recoverable)
      await deps.store.write({
        key,
        sequencer,
        change: {
          kind: 'rejected',
          reason: 'malformed-event',
          detail: `the S3 notification was malformed: ${parsed.problem}`,
        },
      });
    return;
  }
  if (parsed.kind === 'reprocess') {
    logger.appendKeys({ bucket: parsed.item.bucket, key: parsed.item.key });
    await applyReprocess(parsed.item, deps);
    return;
  }
  for (const name of parsed.ignored) logger.warn('event type not handled, acknowledged', { eventName: name });
  for (const event of parsed.events) {
    // The caller removes these keys after the record, so its failure log still names the object.
    logger.appendKeys({ bucket: event.bucket, key: event.key, sequencer: event.sequencer });
    await applyEvent(event, deps);
  }
};
