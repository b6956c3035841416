import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { InitializeMiddleware } from '@smithy/types';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Article, articleIdForKey, isRejection } from '../../functions/core/article';
import { type IngestHandler, makeIngestHandler } from '../../functions/ingest/ingest';
import { decodeBody } from '../../functions/store/article-item';
import { makeArticleReader } from '../../functions/store/article-reader';
import { makeRecordWriter, type RecordWriter, type WriteResult } from '../../functions/store/record-writer';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { type LocalServices, startLocalServices } from '../support/local-services';
import { quietObservability } from '../support/quiet-observability';
import { eTagOf } from '../support/s3-objects';
import { lambdaContext, notification, sqsEvent } from '../support/sqs-events';
import { articleText, standInNormalise } from '../support/stand-in-core';
import { derivedKeysIn, expectedDerivedKeys, startStorePipeline } from '../support/store-pipeline';

/**
 * What the platform really does (DESIGN, "What the platform really does"), each one through the real ingest
 * handler, s3rver (unversioned: reads pinned by the event's eTag), DynamoDB Local and the derive and count consumers
 * on the table's stream. After each scenario the consumers catch up and the key's derived items are compared with
 * `derive()` of the article its record holds: nothing more, nothing less.
 */
let services: LocalServices;
let table: string;
let pipeline: Awaited<ReturnType<typeof startStorePipeline>>;
let reader: ReturnType<typeof makeArticleReader>;
const clients: Array<{ destroy(): void }> = [];

beforeAll(async () => {
  services = await startLocalServices({ s3: true });
  table = await services.newTable();
  pipeline = await startStorePipeline({
    client: services.dynamo.client,
    tableName: table,
    endpoint: services.dynamo.endpoint,
  });
  reader = makeArticleReader({ client: services.dynamo.client, tableName: table });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await pipeline?.stop();
  await services?.stop();
});

const s3 = () => {
  if (!services.s3) throw new Error('s3rver did not start');
  return services.s3;
};
/** Sequencers as S3 makes them (18 hex digits), increasing. */
let counter = 0x1000;
const nextSeq = () => `0069204C8E7B${(++counter).toString(16).toUpperCase().padStart(6, '0')}`;

const text = (headline: string, people: string[]) =>
  articleText({ headline, date: '2024-11-13', people, keywords: ['harbour'] });
const articleOf = (key: string, body: string): Article => {
  const result = standInNormalise(Buffer.from(body), key);
  if (isRejection(result)) throw new Error(result.detail);
  return result;
};

/** One S3 operation and the notification S3 sends for it. */
const upload = async (key: string, body: string): Promise<SQSRecord> => {
  await s3().client.send(new PutObjectCommand({ Bucket: services.bucket, Key: key, Body: body }));
  return notification({
    key,
    sequencer: nextSeq(),
    bucket: services.bucket,
    eTag: eTagOf(Buffer.from(body)),
    size: Buffer.byteLength(body),
  });
};
const remove = async (key: string): Promise<SQSRecord> => {
  await s3().client.send(new DeleteObjectCommand({ Bucket: services.bucket, Key: key }));
  return notification({
    key,
    sequencer: nextSeq(),
    bucket: services.bucket,
    eventName: 'ObjectRemoved:Delete',
  });
};

/** A Lambda instance: its own clients, and a store whose write results are kept (to see what each event did). */
const instance = (
  options: { store?: (real: RecordWriter) => RecordWriter; dynamo?: DynamoDBClient; s3?: S3Client } = {},
) => {
  const dynamo = options.dynamo ?? new DynamoDBClient({ ...LOCAL_AWS, endpoint: services.dynamo.endpoint });
  const s3Client = options.s3 ?? makeLocalS3Client(s3().endpoint);
  clients.push(dynamo, s3Client);
  const real = makeRecordWriter({ client: dynamo, tableName: table });
  const results: Array<{ key: string; sequencer: string; result: WriteResult }> = [];
  const recording: RecordWriter = {
    ...real,
    async write(request) {
      const result = await real.write(request);
      results.push({ key: request.key, sequencer: request.sequencer, result });
      return result;
    },
  };
  const store = options.store ? options.store(recording) : recording;
  const handler: IngestHandler = makeIngestHandler({
    s3: s3Client,
    store,
    normalise: standInNormalise,
    observability: quietObservability(),
  });
  /** A batch whose every record failed makes the batch processor throw: the whole batch is redelivered. */
  const run = async (...records: SQSRecord[]) => {
    try {
      return await handler(sqsEvent(...records), lambdaContext());
    } catch (error) {
      if (!(error instanceof FullBatchFailureError)) throw error;
      return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.messageId })) };
    }
  };
  return { handler, results, dynamo, run };
};

/** The key's record, its article, and the derived items the table holds for it, once the consumers caught up. */
const settled = async (key: string) => {
  await pipeline.caughtUp();
  const id = articleIdForKey(key);
  const items = (await services.scanAll(table)).filter(
    (i) => String(i.pk) === `ART#${id}` || String(i.sk).endsWith(`#${id}`),
  );
  const record = items.find((i) => i.sk === 'RECORD');
  const article = record?.body instanceof Uint8Array ? decodeBody(record.body) : null;
  return { record, article, derived: derivedKeysIn(items), applied: items.find((i) => i.sk === 'APPLIED') };
};

/** The table holds exactly what the record derives, and APPLIED says this very record is derived. */
const expectConsistent = async (key: string) => {
  const state = await settled(key);
  expect(state.derived).toEqual(expectedDerivedKeys(state.article ? [state.article] : []));
  if (state.record)
    expect(state.applied).toMatchObject({ rev: state.record.rev, indexedAt: expect.any(String) });
  return state;
};

describe('S3 delivers one key’s events at least once and in any order', () => {
  it('the store ends in the newest event’s state whatever the order, with duplicates: every permutation of a four-event history', async () => {
    const orders = permutations([0, 1, 2, 3]);
    const { run } = instance();
    for (const [n, order] of orders.entries()) {
      const key = `platform/order-${n}.txt`;
      const a = text('Version A', ['Ann Lee', 'Bo Kim']);
      const c = text('Version C', ['Ann Lee', 'Cy Ng']);
      const events = [
        await upload(key, a),
        await upload(key, text('Version B', ['Dee Fox'])),
        await remove(key),
        await upload(key, c),
      ];
      for (const i of order) {
        const event = events[i];
        if (!event) continue;
        // Each delivered twice: once alone, once again later in the order.
        expect((await run(event)).batchItemFailures).toEqual([]);
      }
      for (const i of order) if (events[i]) await run(events[i] as SQSRecord);
      const state = await expectConsistent(key);
      expect(state.record).toMatchObject({ status: 'ingested', headline: 'Version C' });
      expect(state.derived).toEqual(expectedDerivedKeys([articleOf(key, c)]));
    }
  }, 120_000);
});

describe('SQS delivers one message twice at the same time', () => {
  it('two concurrent invocations with the same event write the record once: one `written`, one `duplicate`, both acknowledged', async () => {
    const key = 'platform/twice.txt';
    const event = await upload(key, text('Twice', ['Ann Lee']));
    // Both invocations pass the check and read the object before either writes.
    let arrived = 0;
    let release: () => void = () => {};
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    const barrier = (real: RecordWriter): RecordWriter => ({
      ...real,
      async write(request) {
        arrived += 1;
        if (arrived === 2) release();
        await bothRead;
        return real.write(request);
      },
    });
    const first = instance({ store: barrier });
    const second = instance({ store: barrier });
    const [r1, r2] = await Promise.all([
      first.run({ ...event, messageId: 'm-1' }),
      second.run({ ...event, messageId: 'm-2' }),
    ]);
    expect([r1.batchItemFailures, r2.batchItemFailures]).toEqual([[], []]);
    const effects = [...first.results, ...second.results].map((r) => r.result.effect).sort();
    expect(effects).toEqual(['duplicate', 'written']);
    const state = await expectConsistent(key);
    expect(state.record).toMatchObject({ status: 'ingested', headline: 'Twice' });
  });
});

/** Middleware that ends the "process" at one SDK call: before it is sent, or after it committed (response lost). */
const killAt = (clients: { dynamo: DynamoDBClient; s3: S3Client }, at: number, when: 'before' | 'after') => {
  let calls = 0;
  let dead = false;
  const killed = () =>
    Object.assign(new Error('the Lambda was killed here (test)'), { name: 'ProcessKilled' });
  const middleware =
    <I extends object, O extends object>(): InitializeMiddleware<I, O> =>
    (next) =>
    async (args) => {
      if (dead) throw killed();
      calls += 1;
      if (when === 'before' && calls === at) {
        dead = true;
        throw killed();
      }
      const out = await next(args);
      if (when === 'after' && calls === at) {
        dead = true;
        throw killed();
      }
      return out;
    };
  const options = { step: 'initialize', name: `kill-${at}-${when}` } as const;
  clients.dynamo.middlewareStack.add(middleware(), options);
  clients.s3.middlewareStack.add(middleware(), options);
  return { calls: () => calls };
};

describe('a Lambda can die at any call', () => {
  it('the write either happened or not (no partial state), and the redelivery ends in the event’s state: at every call of an ingest, an overwrite and a delete', async () => {
    let checked = 0;
    for (const step of ['ingest', 'overwrite', 'delete'] as const) {
      for (let at = 1; ; at++) {
        let exhausted = false;
        for (const when of ['before', 'after'] as const) {
          const key = `platform/killed-${step}-${at}-${when}.txt`;
          const before = text('Before', ['Ann Lee', 'Bo Kim']);
          const after = text('After', ['Ann Lee', 'Cy Ng']);
          const { run: setUp } = instance();
          if (step !== 'ingest') await setUp(await upload(key, before));
          const event =
            step === 'delete' ? await remove(key) : await upload(key, step === 'ingest' ? before : after);
          const prior = await settled(key);
          const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: services.dynamo.endpoint });
          const s3Client = makeLocalS3Client(s3().endpoint);
          const kill = killAt({ dynamo, s3: s3Client }, at, when);
          const doomed = instance({ dynamo, s3: s3Client });
          const response = await doomed.run(event);
          if (kill.calls() < at) {
            // The event needed fewer calls than `at`: nothing was killed, every call point is covered.
            exhausted = true;
            expect(response.batchItemFailures).toEqual([]);
            break;
          }
          expect(response.batchItemFailures).toHaveLength(1);
          // Either the old record, whole, or the new one, whole; and what the table derives matches it.
          const mid = await expectConsistent(key);
          const wanted = step === 'delete' ? 'deleted' : 'ingested';
          if (mid.record?.rev !== prior.record?.rev)
            expect(mid.record).toMatchObject({ status: wanted, sequencer: expect.any(String) });
          else expect(mid.record).toEqual(prior.record);
          // SQS delivers the message again to a healthy instance.
          const { run } = instance();
          expect((await run(event)).batchItemFailures).toEqual([]);
          const end = await expectConsistent(key);
          expect(end.record).toMatchObject({ status: wanted });
          if (step !== 'delete') expect(end.article?.headline).toBe(step === 'ingest' ? 'Before' : 'After');
          else expect(end.article).toBeNull();
          checked += 1;
        }
        if (exhausted) break;
      }
    }
    // check, GetObject, PutItem for a creation; check, PutItem for a delete; killed before and after each.
    expect(checked).toBeGreaterThanOrEqual(2 * (3 + 3 + 2));
  }, 180_000);
});

describe('a committed write whose response is lost is retried by the SDK', () => {
  it('the writer reports `written` (not an error, not a duplicate), the record is whole and the event is acknowledged', async () => {
    const key = 'platform/lost-response.txt';
    const event = await upload(key, text('Lost response', ['Ann Lee']));
    const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: services.dynamo.endpoint, maxAttempts: 3 });
    let puts = 0;
    // Below the SDK's retries (deserialize step): the PutItem reaches DynamoDB and commits, then the connection
    // drops on the way back, as on AWS; the SDK sends the same PutItem again.
    dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'PutItemCommand' && ++puts === 1)
          throw Object.assign(new Error('socket hang up'), {
            name: 'TimeoutError',
            code: 'ECONNRESET',
            $metadata: {},
          });
        return out;
      },
      { step: 'deserialize', name: 'loseFirstPutResponse' },
    );
    const lambda = instance({ dynamo });
    expect((await lambda.run(event)).batchItemFailures).toEqual([]);
    expect(puts).toBe(2);
    expect(lambda.results.map((r) => r.result)).toEqual([
      { recorded: 'ingested', effect: 'written', writeUnits: 0 },
    ]);
    const state = await expectConsistent(key);
    expect(state.record).toMatchObject({ status: 'ingested', headline: 'Lost response' });
    expect(await reader.getUpload(key)).toMatchObject({ status: 'ingested', indexedAt: expect.any(String) });
  });
});

describe('D1: crash, overwrite, redelivery of the old event, then the newer event', () => {
  it.each([
    ['after its write committed', 'after'],
    ['before its write', 'before'],
  ] as const)(
    'S1 dies %s; its redelivery reads its own object (eTag), never the newer one: the table ends with exactly B’s derived items and S2 is `written`, not unchanged',
    async (_, when) => {
      const key = `platform/d1-${when}.txt`;
      const a = text('Article A', ['Ann Lee', 'Bo Kim']);
      const b = text('Article B', ['Ann Lee', 'Cy Ng']);
      const s1 = await upload(key, a);
      // S1: the record write is the third call (check, GetObject, PutItem); the Lambda dies there.
      const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: services.dynamo.endpoint });
      const s3Client = makeLocalS3Client(s3().endpoint);
      killAt({ dynamo, s3: s3Client }, 3, when);
      expect((await instance({ dynamo, s3: s3Client }).run(s1)).batchItemFailures).toHaveLength(1);
      // The object is overwritten with B (S2); SQS redelivers S1 first, then S2.
      const s2 = await upload(key, b);
      const lambda = instance();
      expect((await lambda.run(s1)).batchItemFailures).toEqual([]);
      const afterRedelivery = await expectConsistent(key);
      // S1's retry never wrote B under S1's sequencer: the record is A (S1 committed) or nothing (S1 had not).
      if (when === 'after') expect(afterRedelivery.article?.headline).toBe('Article A');
      else expect(afterRedelivery.record).toBeUndefined();
      expect((await lambda.run(s2)).batchItemFailures).toEqual([]);
      const s2Result = lambda.results.find((r) =>
        r.sequencer.startsWith(JSON.parse(s2.body).Records[0].s3.object.sequencer),
      );
      expect(s2Result?.result).toMatchObject({ effect: 'written', recorded: 'ingested' });
      const end = await expectConsistent(key);
      expect(end.article?.headline).toBe('Article B');
      expect(end.derived).toEqual(expectedDerivedKeys([articleOf(key, b)]));
      // Nothing of A's alone survives (Bo Kim was only in A).
      expect(end.derived.some((k) => k.includes('bo kim'))).toBe(false);
      expect(await reader.getUpload(key)).toMatchObject({
        status: 'ingested',
        indexedAt: expect.any(String),
      });
    },
  );
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}
