import * as z from 'zod';
import { SequencerSchema } from '../store/sequencer';

/**
 * The SQS message body S3 writes for a bucket notification, validated with zod. Only the fields the ingest
 * uses are required, so the same schema accepts real S3, the local bridge and recorded fixtures.
 */
const S3ObjectSchema = z.object({
  key: z.string().min(1),
  size: z.number().int().nonnegative().optional(),
  eTag: z.string().optional(),
  versionId: z.string().optional(),
  sequencer: SequencerSchema,
});

const S3RecordSchema = z.object({
  eventName: z.string(),
  eventTime: z.string().optional(),
  s3: z.object({ bucket: z.object({ name: z.string().min(1) }), object: S3ObjectSchema }),
});

export const S3NotificationSchema = z.object({ Records: z.array(S3RecordSchema).min(1) });
export const S3TestEventSchema = z.object({ Event: z.literal('s3:TestEvent') });

/**
 * A reprocess message (the Step Functions reprocess or `npm run reprocess` locally): one listed object to bring
 * in line with the current parser. Its top-level `reprocess` field tells it from an S3 notification. The key is
 * as listed (ListObjectsV2 does not URL-encode it); eTag and size are the listing's.
 */
export const ReprocessMessageSchema = z.object({
  reprocess: z.object({
    bucket: z.string().min(1),
    key: z.string().min(1),
    eTag: z.string().optional(),
    size: z.number().int().nonnegative().optional(),
    /** The run that sent it (execution name, or the local run's id), for logs and the local tally. */
    run: z.string().optional(),
  }),
});
export type ReprocessItem = z.infer<typeof ReprocessMessageSchema>['reprocess'];

/** Just enough of a broken notification to say which key it was about. */
const RecoverableSchema = z.object({
  Records: z
    .array(
      z.object({
        s3: z.object({
          bucket: z.object({ name: z.string() }).optional(),
          object: z.object({ key: z.string().min(1), sequencer: SequencerSchema }),
        }),
      }),
    )
    .min(1),
});

export interface ObjectEvent {
  action: 'create' | 'remove';
  eventName: string;
  bucket: string;
  /** Decoded key, as stored in the bucket. */
  key: string;
  /** Padded for comparison (SequencerSchema). */
  sequencer: string;
  size?: number;
  eTag?: string;
  versionId?: string;
  eventTime?: string;
  /**
   * Read the object the event names (its version or eTag), not the current one: set for creations. A versioned
   * ObjectRemoved:Delete may remove a delete marker and so restore an older version, with no creation event after
   * it: the current object decides then (DESIGN, pitfall 9).
   */
  pinned: boolean;
}

export type ParsedBody =
  | { kind: 'test' }
  | { kind: 'reprocess'; item: ReprocessItem }
  | { kind: 'events'; events: ObjectEvent[]; ignored: string[] }
  | {
      kind: 'malformed';
      problem: string;
      recoverable: Array<{ key: string; sequencer: string; bucket?: string }>;
    };

/**
 * S3 form-encodes keys in notifications: a space arrives as `+` and a literal plus as `%2B`, so `+` must become a
 * space BEFORE percent-decoding. Returns null for a key that is not valid percent-encoding.
 */
export const decodeS3Key = (raw: string): string | null => {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return null;
  }
};

const actionOf = (eventName: string, versionId: string | undefined): ObjectEvent['action'] | null => {
  if (eventName.startsWith('ObjectCreated:')) return 'create';
  // In a versioned bucket, ObjectRemoved:Delete (with a versionId) permanently deletes one version: an old one
  // (the key keeps its object), the current one or a delete marker (an older version becomes current: a
  // restore). Either way the key's current object decides, so it is handled like a creation: the object is read,
  // ingested if there is one (unchanged content is a no-op), recorded as deleted if there is none.
  if (eventName === 'ObjectRemoved:Delete' && versionId !== undefined) return 'create';
  // A delete marker, an unversioned delete or a lifecycle expiry leaves the key without a current object.
  if (eventName.startsWith('ObjectRemoved:') || eventName.startsWith('LifecycleExpiration:')) return 'remove';
  return null;
};

const recover = (json: unknown): Array<{ key: string; sequencer: string; bucket?: string }> => {
  const loose = RecoverableSchema.safeParse(json);
  if (!loose.success) return [];
  return loose.data.Records.flatMap((r) => {
    const key = decodeS3Key(r.s3.object.key);
    if (!key) return [];
    return [{ key, sequencer: r.s3.object.sequencer, ...(r.s3.bucket ? { bucket: r.s3.bucket.name } : {}) }];
  });
};

export const parseBody = (body: string): ParsedBody => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'malformed', problem: 'the message body is not JSON', recoverable: [] };
  }
  // Only a body with an `Event` field can be a test event: trying the schema on every notification made zod build
  // (and throw away) a failure for each one (measured: most of parseBody's time).
  if (
    typeof json === 'object' &&
    json !== null &&
    'Event' in json &&
    S3TestEventSchema.safeParse(json).success
  )
    return { kind: 'test' };
  if (typeof json === 'object' && json !== null && 'reprocess' in json) {
    const reprocess = ReprocessMessageSchema.safeParse(json);
    if (!reprocess.success)
      return { kind: 'malformed', problem: z.prettifyError(reprocess.error), recoverable: [] };
    return { kind: 'reprocess', item: reprocess.data.reprocess };
  }
  const parsed = S3NotificationSchema.safeParse(json);
  if (!parsed.success)
    return { kind: 'malformed', problem: z.prettifyError(parsed.error), recoverable: recover(json) };
  const events: ObjectEvent[] = [];
  const ignored: string[] = [];
  for (const record of parsed.data.Records) {
    const action = actionOf(record.eventName, record.s3.object.versionId);
    if (!action) {
      ignored.push(record.eventName);
      continue;
    }
    const key = decodeS3Key(record.s3.object.key);
    if (key === null)
      return {
        kind: 'malformed',
        problem: `key ${record.s3.object.key} is not valid URL encoding`,
        // S3 never sends such a key; if one comes, its outcome is recorded under the key as sent, so the
        // message still leaves a trace a user can look up rather than only a log line.
        recoverable: [
          { key: record.s3.object.key, sequencer: record.s3.object.sequencer, bucket: record.s3.bucket.name },
        ],
      };
    const { size, eTag, versionId, sequencer } = record.s3.object;
    events.push({
      action,
      eventName: record.eventName,
      bucket: record.s3.bucket.name,
      key,
      sequencer,
      ...(size !== undefined ? { size } : {}),
      ...(eTag !== undefined ? { eTag } : {}),
      ...(versionId !== undefined ? { versionId } : {}),
      ...(record.eventTime !== undefined ? { eventTime: record.eventTime } : {}),
      pinned: record.eventName.startsWith('ObjectCreated:'),
    });
  }
  return { kind: 'events', events, ignored };
};
