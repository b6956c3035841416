import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { isRejection, type NormaliseResult, PARSER_VERSION, type Source } from '../core/article';
import type { Observability } from '../shared/observability';
import { bareETag, type RecordChange } from '../store/record';
import type { RecordWriter, WriteResult } from '../store/record-writer';
import { type ObjectEvent, parseBody, type ReprocessItem } from './event';
import { fetchObject, type ObjectRef } from './fetch-object';

export type Normalise = (bytes: Uint8Array, key: string, source?: Partial<Source>) => NormaliseResult;

export interface RecordDeps {
  s3: S3Client;
  store: Pick<RecordWriter, 'write' | 'check' | 'checkReprocess'>;
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

/** What to write for a created object (or null: the key holds another object now, whose own event decides). */
export type Read = { change: RecordChange; sourceETag?: string } | null;

export const changeForCreate = async (
  ref: ObjectRef & { size?: number | undefined; listedETag?: string | undefined },
  deps: Pick<RecordDeps, 's3' | 'maxObjectBytes' | 'normalise' | 'observability'>,
): Promise<Read> => {
  const max = deps.maxObjectBytes;
  // Refused unread, by the size the event or listing gave: its eTag still says which object was refused.
  const known = ref.eTag ?? ref.listedETag;
  if (ref.size !== undefined && ref.size > max)
    return {
      change: { kind: 'rejected', reason: 'too-large', detail: tooLargeDetail(ref.size, max) },
      ...(known ? { sourceETag: bareETag(known) } : {}),
    };
  const fetched = await fetchObject(deps.s3, ref, max);
  if (fetched.kind === 'changed') return null;
  if (fetched.kind === 'gone') return { change: { kind: 'deleted', detail: GONE_DETAIL } };
  if (fetched.kind === 'too-large')
    return { change: { kind: 'rejected', reason: 'too-large', detail: tooLargeDetail(fetched.size, max) } };
  const source: Partial<Source> = { bucket: ref.bucket, size: fetched.size };
  if (fetched.eTag) source.eTag = fetched.eTag;
  if (fetched.versionId) source.versionId = fetched.versionId;
  // performance.now, not the injected wall clock: the core takes about a millisecond, below Date.now's resolution.
  const started = performance.now();
  const result = deps.normalise(fetched.bytes, ref.key, source);
  deps.observability.metrics.addMetric('ParseTimeMs', MetricUnit.Milliseconds, performance.now() - started);
  const sourceETag = fetched.eTag ? { sourceETag: fetched.eTag } : {};
  if (isRejection(result))
    return { change: { kind: 'rejected', reason: result.reason, detail: result.detail }, ...sourceETag };
  return { change: { kind: 'ingested', article: result }, ...sourceETag };
};

const record = (event: ObjectEvent, result: WriteResult, deps: RecordDeps) => {
  const { logger, metrics } = deps.observability;
  logger.info('event applied', {
    effect: result.effect,
    recorded: result.recorded,
    writeUnits: result.writeUnits,
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

const parserVersionOf = (deps: RecordDeps) => deps.parserVersion ?? PARSER_VERSION;

const applyEvent = async (event: ObjectEvent, deps: RecordDeps) => {
  const { logger, metrics } = deps.observability;
  // A duplicate or stale delivery stops here: no GetObject, no parsing, one GetItem.
  const verdict = await deps.store.check(event.key, event.sequencer);
  if (verdict === 'stale' || verdict === 'duplicate') {
    logger.info('event already superseded, acknowledged', { verdict });
    metrics.addMetric('EventsSkipped', MetricUnit.Count, 1);
    return;
  }
  const read: Read =
    event.action === 'remove'
      ? { change: { kind: 'deleted' } }
      : await changeForCreate(
          event.pinned
            ? event
            : { bucket: event.bucket, key: event.key, size: event.size, listedETag: event.eTag },
          deps,
        );
  if (!read) {
    logger.info('the key holds a newer object than this event named; its own event records it', {
      eTag: event.eTag,
    });
    metrics.addMetric('EventsSkipped', MetricUnit.Count, 1);
    return;
  }
  const result = await deps.store.write({
    key: event.key,
    sequencer: event.sequencer,
    ...(event.eventTime ? { eventTime: event.eventTime } : {}),
    parserVersion: parserVersionOf(deps),
    ...read,
  });
  record(event, result, deps);
};

/**
 * A reprocess never outranks a real event: the store writes it under the sequencer it found (see
 * functions/store/record-writer.ts), so an upload or delete of the key, before or after, keeps the last word.
 */
const applyReprocess = async (item: ReprocessItem, deps: RecordDeps) => {
  const { logger, metrics } = deps.observability;
  const parserVersion = parserVersionOf(deps);
  const check = await deps.store.checkReprocess(item.key, { eTag: item.eTag, parserVersion });
  if (check.verdict === 'unchanged') {
    logger.info('reprocess: stored article is current', { run: item.run });
    metrics.addMetric('ReprocessUnchanged', MetricUnit.Count, 1);
    return;
  }
  // The current object: a reprocess names no version (the listing's eTag only skips an unchanged object).
  const read = await changeForCreate(
    { bucket: item.bucket, key: item.key, size: item.size, listedETag: item.eTag },
    deps,
  );
  if (!read) throw new TypeError('an unpinned read cannot find the object changed');
  const result = await deps.store.write({
    key: item.key,
    sequencer: check.basis,
    reprocess: true,
    parserVersion,
    ...read,
  });
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
        parserVersion: parserVersionOf(deps),
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
