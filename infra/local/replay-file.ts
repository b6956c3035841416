import { z } from 'zod';
import { parseBody } from '../../functions/ingest/event';

/**
 * What `npm run replay` accepts: S3 event notifications as S3 sends them (`{"Records": [...]}`, or the
 * `s3:TestEvent`), or the SQS messages that carry them: one message (`{"Body": "..."}` from ReceiveMessage, or
 * `{"body": "..."}` as Lambda sees it), a ReceiveMessage answer (`{"Messages": [...]}`), a Lambda SQS event
 * (`{"Records": [{"body": "..."}]}`), or a JSON array of any of these. Each notification becomes one queue message,
 * as S3 would send it, with the bucket renamed to the local stack's (a notification captured on AWS names the
 * deployed bucket).
 */
export class ReplayFileError extends Error {
  override readonly name = 'ReplayFileError';
}

const SqsMessageSchema = z.union([z.object({ Body: z.string() }), z.object({ body: z.string() })]);
const ReceiveSchema = z.object({ Messages: z.array(SqsMessageSchema) });
const LambdaSqsEventSchema = z.object({ Records: z.array(z.object({ body: z.string() })).min(1) });

const bodiesOf = (value: unknown): unknown[] => {
  if (Array.isArray(value)) return value.flatMap(bodiesOf);
  const receive = ReceiveSchema.safeParse(value);
  if (receive.success) return receive.data.Messages.flatMap(bodiesOf);
  const lambda = LambdaSqsEventSchema.safeParse(value);
  if (lambda.success) return lambda.data.Records.map((r) => parseJson(r.body, 'an SQS message body'));
  const message = SqsMessageSchema.safeParse(value);
  if (message.success)
    return [parseJson('Body' in message.data ? message.data.Body : message.data.body, 'an SQS message body')];
  return [value];
};

const parseJson = (text: string, what: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new ReplayFileError(`${what} is not JSON`);
  }
};

const renamed = (notification: unknown, bucket: string): unknown => {
  if (typeof notification !== 'object' || notification === null || !('Records' in notification))
    return notification;
  const records = (notification as { Records: unknown }).Records;
  if (!Array.isArray(records)) return notification;
  return {
    ...notification,
    Records: records.map((r) =>
      typeof r === 'object' && r !== null && 's3' in r
        ? {
            ...r,
            s3: {
              ...(r as { s3: object }).s3,
              bucket: { ...((r as { s3: { bucket?: object } }).s3.bucket ?? {}), name: bucket },
            },
          }
        : r,
    ),
  };
};

/** The queue message bodies a file holds, each checked to be an S3 notification the ingest understands. */
export const replayBodies = (text: string, bucket: string): { bodies: string[]; buckets: string[] } => {
  const json = parseJson(text, 'the file');
  const found = bodiesOf(json);
  if (found.length === 0) throw new ReplayFileError('the file holds no S3 event notification');
  const buckets = new Set<string>();
  const bodies = found.map((notification, i) => {
    const checked = parseBody(JSON.stringify(notification));
    if (checked.kind === 'reprocess' || checked.kind === 'malformed')
      throw new ReplayFileError(
        `item ${i + 1} is not an S3 event notification (expected {"Records": [{"eventName", "s3": {"bucket", "object": {"key", "sequencer"}}}]})`,
      );
    if (checked.kind === 'events') for (const e of checked.events) buckets.add(e.bucket);
    return JSON.stringify(renamed(notification, bucket));
  });
  return { bodies, buckets: [...buckets] };
};
