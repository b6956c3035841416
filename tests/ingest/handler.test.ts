import { randomBytes } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  DynamoDBServiceException,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { articleIdForKey, MAX_ARTICLE_BYTES } from '../../functions/core/article';
import { makeIngestHandler } from '../../functions/ingest/ingest';
import { GONE_DETAIL } from '../../functions/ingest/process-record';
import { makeObservability } from '../../functions/shared/observability';
import { makeArticleWriter } from '../../functions/store/article-writer';
import { loadEventFixture } from '../support/fixtures';
import { ingestHarness, local } from '../support/ingest-harness';
import { lambdaContext, notification, sqsEvent, sqsRecord } from '../support/sqs-events';
import { articleText, standInNormalise } from '../support/stand-in-core';

const h = ingestHarness();
const { s3Mock, ddbMock, observability, faults, handler, run, upload, article, text } = h;
let table: ReturnType<typeof h.reset>['table'];
let bucket: ReturnType<typeof h.reset>['bucket'];
beforeEach(() => {
  ({ table, bucket } = h.reset());
});

describe('ingest handler', () => {
  it('decodes keys the way S3 encodes them: + is a space, %2B a plus, unicode and % survive', async () => {
    const key = 'news/été 2024+final 100%.txt';
    bucket.set(key, text('Summer'));
    const raw = 'news/%C3%A9t%C3%A9+2024%2Bfinal+100%25.txt';
    const result = await run(notification({ key, rawKey: raw, sequencer: '0A' }));
    expect(result.batchItemFailures).toEqual([]);
    expect(s3Mock.commandCalls(GetObjectCommand)[0]?.args[0].input.Key).toBe(key);
    expect(upload(key)).toMatchObject({ key, status: 'ingested', articleId: articleIdForKey(key) });
  });

  it('acknowledges s3:TestEvent without touching S3 or the table', async () => {
    const body = {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2026-01-01T00:00:00Z',
      Bucket: 'articles',
    };
    const result = await run(sqsRecord(body));
    expect(result.batchItemFailures).toEqual([]);
    expect(s3Mock.calls()).toHaveLength(0);
    expect(ddbMock.calls()).toHaveLength(0);
  });

  it('stores one article, one set of entries and one outcome when a notification arrives five times', async () => {
    bucket.set('a.txt', text('Once'));
    const same = () => notification({ key: 'a.txt', sequencer: '005F1' }, 'm-dup');
    const result = await run(same(), same(), same(), same(), same());
    expect(result.batchItemFailures).toEqual([]);
    // One write of the outcome (then its entries, and the `pending` flag cleared): never a second one.
    const outcomePuts = ddbMock.commandCalls(PutCommand).filter((c) => c.args[0].input.Item?.sk === 'UPLOAD');
    expect(outcomePuts).toHaveLength(1);
    // The four duplicates are recognised before the object is read or parsed.
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(1);
    expect([...table.keys()].filter((k) => k.startsWith(`ART#${articleIdForKey('a.txt')}`))).toHaveLength(2);
  });

  it('ignores an older create that arrives after a newer delete (delete-after-create ends deleted)', async () => {
    bucket.set('b.txt', text('Old'));
    await run(notification({ key: 'b.txt', sequencer: '20', eventName: 'ObjectRemoved:Delete' }));
    await run(notification({ key: 'b.txt', sequencer: '10' }));
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(upload('b.txt')).toMatchObject({ status: 'deleted' });
    expect(article('b.txt')).toBeUndefined();
  });

  it('applies a newer create after a delete (create-after-delete ends ingested)', async () => {
    bucket.set('c.txt', text('Back'));
    await run(notification({ key: 'c.txt', sequencer: '10', eventName: 'ObjectRemoved:Delete' }));
    await run(notification({ key: 'c.txt', sequencer: '20' }));
    expect(upload('c.txt')).toMatchObject({ status: 'ingested' });
    expect(article('c.txt')).toMatchObject({ headline: 'Back' });
  });

  it('compares sequencers of different lengths numerically (padded), not as raw strings', async () => {
    bucket.set('d.txt', text('Newest'));
    await run(notification({ key: 'd.txt', sequencer: '100' }));
    bucket.set('d.txt', text('Older'));
    await run(notification({ key: 'd.txt', sequencer: 'FF' }));
    expect(article('d.txt')).toMatchObject({ headline: 'Newest' });
  });

  it('records an object that vanished before processing as deleted, without failing the record', async () => {
    const result = await run(notification({ key: 'gone.txt', sequencer: '01' }));
    expect(result.batchItemFailures).toEqual([]);
    expect(upload('gone.txt')).toMatchObject({ status: 'deleted', detail: GONE_DETAIL });
  });

  it('records a rejection from the core and acknowledges the message', async () => {
    bucket.set('feed.json', Buffer.from('{"items": []}'));
    const metric = vi.spyOn(observability.metrics, 'addMetric');
    const result = await run(notification({ key: 'feed.json', sequencer: '01' }));
    expect(result.batchItemFailures).toEqual([]);
    expect(upload('feed.json')).toMatchObject({ status: 'rejected', reason: 'unsupported-format' });
    expect(metric).toHaveBeenCalledWith('ArticlesRejected', 'Count', 1);
  });

  const mentions = (input: unknown, key: string) => JSON.stringify(input).includes(`"key":"${key}"`);
  const dynamoError = (name: string, fault: 'client' | 'server', extra: object = {}) =>
    Object.assign(new DynamoDBServiceException({ name, $fault: fault, message: name, $metadata: {} }), extra);

  it.each([
    ['throttling', () => dynamoError('ThrottlingException', 'client')],
    ['a 5xx', () => dynamoError('InternalServerError', 'server')],
    ['a timeout', () => Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })],
  ])('fails only the record that hit %s; the rest of the batch commits', async (_, error) => {
    bucket.set('ok.txt', text('Fine'));
    bucket.set('slow.txt', text('Throttled'));
    faults.fault = (command, input) =>
      command === 'Put' && mentions(input, 'slow.txt') ? error() : undefined;
    const result = await run(
      notification({ key: 'slow.txt', sequencer: '01' }, 'm-slow'),
      notification({ key: 'ok.txt', sequencer: '01' }, 'm-ok'),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-slow' }]);
    expect(upload('ok.txt')).toMatchObject({ status: 'ingested' });
    expect(upload('slow.txt')).toBeUndefined();
  });

  const conflict = () =>
    new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
  const isOutcomePut = (command: string, input: unknown, key: string) =>
    command === 'Put' && mentions(input, key) && JSON.stringify(input).includes('"sk":"UPLOAD"');

  it('retries a lost race for the outcome in-process (read again, plan again) before giving up on the record', async () => {
    bucket.set('busy.txt', text('Busy'));
    let conflicts = 1;
    faults.fault = (command, input) =>
      isOutcomePut(command, input, 'busy.txt') && conflicts-- > 0 ? conflict() : undefined;
    const result = await run(notification({ key: 'busy.txt', sequencer: '01' }));
    expect(result.batchItemFailures).toEqual([]);
    expect(upload('busy.txt')).toMatchObject({ status: 'ingested' });
  });

  it('gives up on a record whose key keeps conflicting, reports it for redelivery and goes on with the batch', async () => {
    bucket.set('contested.txt', text('Contested'));
    bucket.set('calm.txt', text('Calm'));
    let attempts = 0;
    faults.fault = (command, input) => {
      if (!isOutcomePut(command, input, 'contested.txt')) return undefined;
      attempts += 1;
      return conflict();
    };
    const result = await run(
      notification({ key: 'contested.txt', sequencer: '01' }, 'm-contested'),
      notification({ key: 'calm.txt', sequencer: '01' }, 'm-calm'),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-contested' }]);
    // The writer's default: five read-plan-write attempts, then the record goes back to the queue.
    expect(attempts).toBe(5);
    expect(upload('contested.txt')).toBeUndefined();
    expect(upload('calm.txt')).toMatchObject({ status: 'ingested' });
  });

  it('fails the record when S3 answers with a 5xx', async () => {
    s3Mock
      .on(GetObjectCommand)
      .rejects(
        new S3ServiceException({ name: 'InternalError', $fault: 'server', message: 'x', $metadata: {} }),
      );
    const result = await run(
      notification({ key: 'x.txt', sequencer: '01' }, 'm-x'),
      notification({ key: 'y.txt', sequencer: '01', eventName: 'ObjectRemoved:Delete' }, 'm-y'),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-x' }]);
    expect(upload('y.txt')).toMatchObject({ status: 'deleted' });
  });

  it('logs a failed record with its bucket, key and sequencer, then drops them before the next record', async () => {
    s3Mock
      .on(GetObjectCommand)
      .rejects(new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'x', $metadata: {} }));
    const loud = makeObservability('ingest-log-test');
    loud.logger.setLogLevel('WARN');
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const logged = makeIngestHandler({
      s3: new S3Client(local),
      store: makeArticleWriter({ client: new DynamoDBClient(local), tableName: 'articles' }),
      normalise: standInNormalise,
      observability: loud,
    });
    await logged(
      sqsEvent(
        notification({ key: 'fail me.txt', sequencer: '0A' }, 'm-1'),
        notification({ key: 'y.txt', sequencer: '01', eventName: 'ObjectRemoved:Delete' }, 'm-2'),
      ),
      lambdaContext(),
    );
    vi.restoreAllMocks();
    // Only the logger's JSON lines: anything else a worker prints meanwhile is not ours to parse.
    const records = lines.flatMap((line): Array<Record<string, unknown>> => {
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed === 'object' && parsed !== null ? [{ ...parsed }] : [];
      } catch {
        return [];
      }
    });
    const failure = records.find((r) => r.message === 'record failed; it will be retried');
    expect(failure).toMatchObject({
      key: 'fail me.txt',
      sequencer: expect.stringMatching(/0A$/),
      bucket: 'articles',
    });
    expect(records.filter((r) => r.key === 'y.txt' && r.level === 'ERROR')).toEqual([]);
  });

  it('does not start a record once too little time is left: the rest of the batch is redelivered, unapplied', async () => {
    bucket.set('a.txt', text('First'));
    bucket.set('b.txt', text('Second'));
    bucket.set('c.txt', text('Third'));
    // 60 s at the start; after the first record the clock reads 9 s left, under the 10 s reserve.
    const remaining = [60_000, 9_000];
    const context = { ...lambdaContext(), getRemainingTimeInMillis: () => remaining.shift() ?? 9_000 };
    const result = await handler(
      sqsEvent(
        notification({ key: 'a.txt', sequencer: '01' }, 'm-a'),
        notification({ key: 'b.txt', sequencer: '01' }, 'm-b'),
        notification({ key: 'c.txt', sequencer: '01' }, 'm-c'),
      ),
      context,
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-b' }, { itemIdentifier: 'm-c' }]);
    expect(upload('a.txt')).toMatchObject({ status: 'ingested' });
    expect(upload('b.txt')).toBeUndefined();
    expect(upload('c.txt')).toBeUndefined();
  });

  it('rejects an object over MAX_ARTICLE_BYTES by its event size without reading it', async () => {
    const result = await run(notification({ key: 'huge.txt', sequencer: '01', size: MAX_ARTICLE_BYTES + 1 }));
    expect(result.batchItemFailures).toEqual([]);
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(upload('huge.txt')).toMatchObject({ status: 'rejected', reason: 'too-large' });
  });

  it('rejects an object whose stored length is over the limit even when the event understated it', async () => {
    bucket.set('grew.txt', new Uint8Array(MAX_ARTICLE_BYTES + 10));
    await run(notification({ key: 'grew.txt', sequencer: '01', size: 10 }));
    expect(upload('grew.txt')).toMatchObject({ status: 'rejected', reason: 'too-large' });
  });

  it('rejects as too-large an article whose record does not fit an item even compressed; nothing truncated', async () => {
    // Random hex prose compresses only ~2x, so ~900 KB of it cannot fit the 380 KB body limit.
    const prose = randomBytes(450_000)
      .toString('hex')
      .replace(/(.{12})/g, '$1 ');
    bucket.set('dense.txt', Buffer.from(articleText({ headline: 'Dense', prose })));
    const result = await run(notification({ key: 'dense.txt', sequencer: '01' }));
    expect(result.batchItemFailures).toEqual([]);
    expect(upload('dense.txt')).toMatchObject({ status: 'rejected', reason: 'too-large' });
    expect(article('dense.txt')).toBeUndefined();
  });

  it('acknowledges a malformed body and records a rejection when the key can be recovered', async () => {
    const broken = { Records: [{ eventName: 42, s3: { object: { key: 'odd+name.txt', sequencer: '07' } } }] };
    const result = await run(sqsRecord('not json at all'), sqsRecord(broken));
    expect(result.batchItemFailures).toEqual([]);
    expect(upload('odd name.txt')).toMatchObject({ status: 'rejected', reason: 'malformed-event' });
  });

  it('emits ingested/deleted counts, parse time and event-to-stored latency', async () => {
    bucket.set('m.txt', text('Metrics'));
    const metric = vi.spyOn(observability.metrics, 'addMetric');
    await run(notification({ key: 'm.txt', sequencer: '01' }));
    await run(notification({ key: 'm.txt', sequencer: '02', eventName: 'ObjectRemoved:Delete' }));
    const names = metric.mock.calls.map((c) => c[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'ArticlesIngested',
        'ArticlesDeleted',
        'ParseTimeMs',
        'EventToStoredLatencyMs',
      ]),
    );
  });

  it('handles the recorded fixtures: created object under an encoded key, then its removal', async () => {
    const key = 'world/Shoigu meets Wang — talks+pact 100%.txt';
    bucket.set(key, text('Recorded'));
    const created = await handler(loadEventFixture('sqs-s3-object-created.json'), lambdaContext());
    expect(created.batchItemFailures).toEqual([]);
    expect(s3Mock.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'news-articles-123456789012',
      Key: key,
    });
    expect(upload(key)).toMatchObject({ status: 'ingested', eventTime: '2026-11-20T09:14:03.512Z' });
    await handler(loadEventFixture('sqs-s3-object-removed.json'), lambdaContext());
    expect(upload(key)).toMatchObject({ status: 'deleted' });
    expect(article(key)).toBeUndefined();
  });

  it('two events for one key in one batch end in the newest state whatever their order', async () => {
    bucket.set('pair.txt', text('Pair'));
    const result = await run(
      notification({ key: 'pair.txt', sequencer: '0B', eventName: 'ObjectRemoved:Delete' }),
      notification({ key: 'pair.txt', sequencer: '0A' }),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(upload('pair.txt')).toMatchObject({ status: 'deleted' });
    expect(article('pair.txt')).toBeUndefined();
  });
});
