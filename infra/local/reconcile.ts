import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { QueueMessage } from './queue-message';

const NotificationsSchema = z.object({
  Records: z.array(
    z.object({
      eventName: z.string().catch(''),
      s3: z.object({ object: z.object({ key: z.string(), sequencer: z.string().catch('') }) }),
    }),
  ),
});

/** The events in messages, keys decoded; test events and unreadable bodies hold none. */
export const eventsInMessages = (messages: readonly Pick<QueueMessage, 'body'>[]) => {
  const events: { key: string; eventName: string; sequencer: string }[] = [];
  for (const { body } of messages) {
    try {
      const parsed = NotificationsSchema.safeParse(JSON.parse(body));
      for (const record of parsed.data?.Records ?? [])
        events.push({
          key: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')),
          eventName: record.eventName,
          sequencer: record.s3.object.sequencer,
        });
    } catch {
      // not JSON: no events
    }
  }
  return events;
};

/** The (decoded) object keys that messages refer to. */
export const keysInMessages = (messages: readonly Pick<QueueMessage, 'body'>[]): Set<string> =>
  new Set(eventsInMessages(messages).map((event) => event.key));

/**
 * The queue is persisted, but an event can still be lost if the process dies between s3rver's write and the
 * queue's next flush (50 ms) or while the bridge reads the object. On start, every object that has no outcome
 * and no message waiting (in the queue or the DLQ) gets a fresh ObjectCreated, so nothing is dropped silently.
 * Costs one ListObjectsV2 page per 1,000 objects and one GetItem per object, in the background.
 */
export const reconcileBucket = async (options: {
  s3: S3Client;
  bucket: string;
  hasOutcome: (key: string) => Promise<boolean>;
  pendingKeys: ReadonlySet<string>;
  notifyCreated: (key: string) => void;
}): Promise<string[]> => {
  const missing: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await options.s3.send(
      new ListObjectsV2Command({
        Bucket: options.bucket,
        ...(ContinuationToken ? { ContinuationToken } : {}),
      }),
    );
    for (const { Key } of page.Contents ?? []) {
      if (!Key || options.pendingKeys.has(Key) || (await options.hasOutcome(Key))) continue;
      options.notifyCreated(Key);
      missing.push(Key);
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return missing;
};
