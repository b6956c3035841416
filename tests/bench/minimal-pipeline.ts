import { AsyncLocalStorage } from 'node:async_hooks';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import type { LocalHandlers, MakeHandlers } from '../../infra/local/handler-types';
import type { SqsHandler } from '../../infra/local/poller';
import { keysInMessages } from '../../infra/local/reconcile';
import type { StreamHandler } from '../../infra/local/stream-poller';

/**
 * The floor the burst bench compares our pipeline with: the same local stack (s3rver, bridge, queue, poller,
 * DynamoDB Local), but an ingest handler that only does GetObject and one PutItem of the raw text per record,
 * one record after another like ours, reporting failures the same way (ReportBatchItemFailures).
 */
const NotificationSchema = z.object({
  Records: z
    .array(
      z.object({
        s3: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string() }) }),
      }),
    )
    .optional(),
});

export const rawItemKey = (key: string) => ({ pk: { S: `RAW#${key}` }, sk: { S: 'RAW' } });

const minimalIngest =
  (deps: Parameters<MakeHandlers>[0]): SqsHandler =>
  async (event: SQSEvent) => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        const notification = NotificationSchema.parse(JSON.parse(record.body));
        for (const { s3 } of notification.Records ?? []) {
          const key = decodeURIComponent(s3.object.key.replace(/\+/g, ' '));
          const object = await deps.s3.send(new GetObjectCommand({ Bucket: s3.bucket.name, Key: key }));
          const text = (await object.Body?.transformToString('utf8')) ?? '';
          await deps.dynamodb.send(
            new PutItemCommand({
              TableName: deps.tableName,
              Item: { ...rawItemKey(key), text: { S: text } },
            }),
          );
        }
      } catch {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };

const BatchResponseSchema = z
  .object({ batchItemFailures: z.array(z.object({ itemIdentifier: z.string() })).optional() })
  .nullish();

/** When each upload's record was handled without failure, and the handler's busy time per record. */
export interface Completions {
  /** Per object key: when the ingest handler returned its record done (ours: the record is served by id). */
  doneAt: Map<string, number>;
  /**
   * Per article id: when a stream batch naming its record came back from the consumers without failure (its
   * derived items and APPLIED are then in: GET /uploads/{key} says `indexedAt`). Ours only; the minimal pipeline
   * derives nothing, so its uploads are indexed when done.
   */
  indexedAt: Map<string, number>;
  handlerMs: number;
  /** Time the ingest handlers spent inside DynamoDB sends (both pipelines, summed over concurrent invocations). */
  dynamoMs: number;
  records: number;
  /** Takes the DynamoDB timer off the client (the API shares it; the load bench must not pay for it). */
  detach?: () => void;
}

/** Nothing done yet. */
export const noCompletions = (): Completions => ({
  doneAt: new Map(),
  indexedAt: new Map(),
  handlerMs: 0,
  dynamoMs: 0,
  records: 0,
});

const TIMER = 'benchDynamoTimer';
/** Set while an ingest invocation runs, so the DynamoDB timer counts its sends and no one else's. */
const inIngest = new AsyncLocalStorage<boolean>();

/** Wraps an ingest handler to note, per object key, when its record came back done (not retried). */
const tracked =
  (handler: SqsHandler, completions: Completions): SqsHandler =>
  async (event, context) => {
    const started = performance.now();
    const response = await inIngest.run(true, () => handler(event, context));
    const finished = performance.now();
    completions.handlerMs += finished - started;
    completions.records += event.Records.length;
    const failed = new Set(
      (BatchResponseSchema.safeParse(response).data?.batchItemFailures ?? []).map((f) => f.itemIdentifier),
    );
    const done = event.Records.filter((r) => !failed.has(r.messageId)).map((r) => ({ body: r.body }));
    for (const key of keysInMessages(done))
      if (!completions.doneAt.has(key)) completions.doneAt.set(key, finished);
    return response;
  };

const StreamEventSchema = z.object({
  Records: z.array(
    z
      .object({
        dynamodb: z.object({
          Keys: z.object({ pk: z.object({ S: z.string() }), sk: z.object({ S: z.string() }) }),
        }),
      })
      .loose(),
  ),
});

/** Wraps the stream consumers to note when each record's article came back derived. */
export const trackedStream =
  (handler: StreamHandler, completions: Completions): StreamHandler =>
  async (event) => {
    const response = await handler(event);
    const finished = performance.now();
    for (const { dynamodb } of StreamEventSchema.safeParse(event).data?.Records ?? []) {
      const { pk, sk } = dynamodb.Keys;
      if (sk.S !== 'RECORD' || !pk.S.startsWith('ART#')) continue;
      const id = pk.S.slice('ART#'.length);
      if (!completions.indexedAt.has(id)) completions.indexedAt.set(id, finished);
    }
    return response;
  };

export type PipelineKind = 'ours' | 'minimal';

/** Handlers for the stack: the real ones (ours) or the minimal ingest with the real API, both tracked. */
export const trackedHandlers =
  (kind: PipelineKind, completions: Completions): MakeHandlers =>
  async (deps) => {
    const { makeHandlers } = await import('../../infra/local/handlers');
    // The document client shares the base client's middleware stack, so this times every DynamoDB send.
    deps.dynamodb.middlewareStack.add(
      (next) => async (args) => {
        // Only the ingest's own sends: the API and the stream consumers share this client.
        if (!inIngest.getStore()) return next(args);
        const started = performance.now();
        try {
          return await next(args);
        } finally {
          completions.dynamoMs += performance.now() - started;
        }
      },
      { step: 'initialize', name: TIMER },
    );
    completions.detach = () => deps.dynamodb.middlewareStack.remove(TIMER);
    const real: LocalHandlers = await makeHandlers(deps);
    const ingest = kind === 'ours' ? real.ingest : minimalIngest(deps);
    // No getOutcome for either: it only feeds local mode's per-upload log line (one GetItem per upload, which the
    // deployed pipeline never makes) and start-up reconciliation, which has nothing to do on a fresh stack.
    // Ours runs its stream consumers too (derive and count: what makes an upload indexed, and their load on
    // DynamoDB Local), tracked for when each article is indexed.
    return {
      api: real.api,
      ingest: tracked(ingest, completions),
      ...(kind === 'ours' && real.stream ? { stream: trackedStream(real.stream, completions) } : {}),
    };
  };
