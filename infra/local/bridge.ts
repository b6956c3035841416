import { EventEmitter } from 'node:events';
import { HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import {
  buildS3NotificationRecord,
  type S3NotificationEventName,
  type S3NotificationRecord,
} from './s3-notification';
import type { Sequencer } from './sequencer';

/** The part of s3rver's 'event' payload the bridge reads (its keys are raw, not URL-encoded). */
const S3rverEventSchema = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      s3: z.object({
        bucket: z.object({ name: z.string() }),
        object: z.object({ key: z.string(), size: z.number().optional(), eTag: z.string().optional() }),
      }),
      requestParameters: z.object({ sourceIPAddress: z.string().optional() }).optional(),
    }),
  ),
});

type CreatedName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Post'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload';
const CREATED: ReadonlySet<string> = new Set<CreatedName>([
  'ObjectCreated:Put',
  'ObjectCreated:Post',
  'ObjectCreated:Copy',
]);
const isCreated = (name: string): name is CreatedName => CREATED.has(name);

type DeleteObject = (bucket: string, key: string) => Promise<void>;
type PutObjectMultipart = (bucket: string, uploadId: string, parts: unknown) => Promise<{ md5?: string }>;
const MultipartResultSchema = z.object({ md5: z.string() });
/** HeadObject's 404, also when the error class comes from another copy of the SDK. */
const NotFoundSchema = z.object({ name: z.enum(['NotFound', 'NoSuchKey']) });
/** s3rver's store: every deletion, single or multi-object, goes through `deleteObject`. */
const StoreSchema = z.custom<{ deleteObject: DeleteObject; putObjectMultipart: PutObjectMultipart }>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'deleteObject') === 'function' &&
    typeof Reflect.get(value, 'putObjectMultipart') === 'function',
);

export interface BridgeOptions {
  /**
   * The stack's upload bucket, the only one whose events are forwarded: article ids come from the key alone, so
   * an object under the same key in another bucket (the stack's own article-body bucket, say) would shadow it.
   */
  bucket: string;
  /**
   * The s3rver instance. Its typings hide that it is a Koa app (an EventEmitter that emits 'event') with a
   * `store`, so both are checked at run time; the store is wrapped to see multi-object deletes.
   */
  server: object;
  s3: S3Client;
  sequencer: Sequencer;
  /** Delivers an SQS message body (the queue's send). */
  send: (body: string) => void;
  onPublish?: (record: S3NotificationRecord) => void;
  onError?: (error: unknown) => void;
}

interface Change {
  bucket: string;
  key: string;
  kind: 'created' | 'removed';
  eventName: S3NotificationEventName;
  size?: number | undefined;
  eTag?: string | undefined;
  sourceIp?: string | undefined;
}

/** HeadObject failures (other than a 404) tolerated before the bridge notifies with s3rver's own values. */
const HEAD_ATTEMPTS = 3;

const stripQuotes = (eTag: string | undefined) => eTag?.replace(/^"|"$/g, '');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Turns s3rver's object events into the notifications real S3 would send to the queue. Events are handled
 * one at a time in arrival order, so the bridge's own sequencer increases in that order. For a creation the
 * bridge reads the object's current state (s3rver emits before its file is fully written, and overlapping
 * writes can leave the event disagreeing with what is stored); an object already gone keeps the values
 * s3rver reported, since real S3 also notifies creations of objects deleted a moment later.
 * s3rver emits nothing for multi-object deletes (`aws s3 rm --recursive`), so removals are taken from its
 * store instead of its events.
 */
export const startBridge = (options: BridgeOptions) => {
  const server = options.server;
  if (!(server instanceof EventEmitter)) throw new TypeError('the bridge needs an s3rver instance');
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;

  const enqueue = (change: Change) => {
    pending += 1;
    chain = chain
      .then(() => publish(change))
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        pending -= 1;
      });
  };

  const publish = async (change: Change) => {
    let { size, eTag } = change;
    if (change.kind === 'created') {
      const current = await currentState(change);
      if (current) ({ size, eTag } = current);
    }
    const record = buildS3NotificationRecord({
      bucket: change.bucket,
      key: change.key,
      eventName: change.eventName,
      sequencer: options.sequencer(),
      size,
      eTag,
      ...(change.sourceIp ? { sourceIp: change.sourceIp } : {}),
    });
    options.send(JSON.stringify({ Records: [record] }));
    options.onPublish?.(record);
  };

  /** Current size and eTag, waiting briefly while the file is still being written; null if it vanished. */
  const headObject = async (change: Change) => {
    let failures = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const head = await options.s3.send(new HeadObjectCommand({ Bucket: change.bucket, Key: change.key }));
        const current = { size: head.ContentLength ?? 0, eTag: stripQuotes(head.ETag) };
        const stillWriting =
          current.eTag === change.eTag && change.size !== undefined && current.size < change.size;
        if (!stillWriting || attempt >= 50) return current;
      } catch (error) {
        if (error instanceof NotFound || NotFoundSchema.safeParse(error).success) return null;
        failures += 1;
        if (failures >= HEAD_ATTEMPTS) throw error;
      }
      await pause(10);
    }
  };

  /**
   * What to notify for a creation. A HeadObject that keeps failing (anything but a 404) must not cost the event:
   * it is reported and the notification goes out with the size and eTag s3rver gave, as real S3 would send it;
   * the ingest reads the object itself anyway.
   */
  const currentState = async (change: Change) => {
    try {
      return await headObject(change);
    } catch (error) {
      options.onError?.(
        new Error(`HeadObject ${change.key} failed; notifying with the values s3rver reported`, {
          cause: error,
        }),
      );
      return null;
    }
  };

  const onEvent = (payload: unknown) => {
    const parsed = S3rverEventSchema.safeParse(payload);
    if (!parsed.success)
      return options.onError?.(new Error(`unexpected s3rver event: ${parsed.error.message}`));
    for (const record of parsed.data.Records) {
      if (!isCreated(record.eventName) || record.s3.bucket.name !== options.bucket) continue;
      const { eTag } = record.s3.object;
      // s3rver reports a completed multipart upload as a POST; its eTag tells the two apart.
      const multipart =
        record.eventName === 'ObjectCreated:Post' && eTag !== undefined && completedUploads.delete(eTag);
      enqueue({
        bucket: record.s3.bucket.name,
        key: record.s3.object.key,
        kind: 'created',
        eventName: multipart ? 'ObjectCreated:CompleteMultipartUpload' : record.eventName,
        size: record.s3.object.size,
        eTag: record.s3.object.eTag,
        sourceIp: record.requestParameters?.sourceIPAddress?.replace(/^::ffff:/, ''),
      });
    }
  };
  server.on('event', onEvent);

  const parsedStore = StoreSchema.safeParse(Reflect.get(server, 'store'));
  const store = parsedStore.success ? parsedStore.data : null;
  const originalDelete = store?.deleteObject;
  const originalMultipart = store?.putObjectMultipart;
  const completedUploads = new Set<string>();
  if (store && originalMultipart) {
    store.putObjectMultipart = async (bucket, uploadId, parts) => {
      const result = await originalMultipart.call(store, bucket, uploadId, parts);
      const md5 = MultipartResultSchema.safeParse(result).data?.md5;
      if (md5) completedUploads.add(md5);
      return result;
    };
  }
  if (store && originalDelete) {
    store.deleteObject = async (bucket, key) => {
      try {
        await originalDelete.call(store, bucket, key);
      } finally {
        // Concurrent deletes under one prefix race to remove the emptied folder and one of them throws after
        // its files are gone: the object is deleted either way, so it is always notified.
        if (bucket === options.bucket)
          enqueue({ bucket, key, kind: 'removed', eventName: 'ObjectRemoved:Delete' });
      }
    };
  } else options.onError?.(new Error('s3rver store not found: deletions will not be notified'));

  return {
    /** Events received but not yet handed to the queue. */
    pending: () => pending,
    /** Notifies a creation s3rver did not report (start-up reconciliation); size and eTag are read from S3. */
    notifyCreated: (bucket: string, key: string) =>
      enqueue({ bucket, key, kind: 'created', eventName: 'ObjectCreated:Put' }),
    stop: async () => {
      server.off('event', onEvent);
      if (store && originalDelete) store.deleteObject = originalDelete;
      if (store && originalMultipart) store.putObjectMultipart = originalMultipart;
      await chain;
    },
  };
};

export type Bridge = ReturnType<typeof startBridge>;
