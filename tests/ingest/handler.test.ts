import { randomBytes } from 'node:crypto';
import { DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { articleIdForKey, MAX_ARTICLE_BYTES } from '../../functions/core/article';
import { makeIngestHandler } from '../../functions/ingest/ingest';
import { GONE_DETAIL } from '../../functions/ingest/process-record';
import { makeObservability } from '../../functions/shared/observability';
import { makeRecordWriter } from '../../functions/store/record-writer';
import { loadEventFixture } from '../support/fixtures';
import { ingestHarness, local } from '../support/ingest-harness';
import { lambdaContext, notification, sqsEvent, sqsRecord } from '../support/sqs-events';
import { articleText, standInNormalise } from '../support/stand-in-core';

const h = ingestHarness();
const { s3Mock, ddbMock, observability, faults, handler, run, record, article, created, text } = h;
/** Real S3 sequencers are 16 to 20 hex digits; these are 16, so they order as numbers too. */
const seq = (n: number) => n.toString(16).toUpperCase().padStart(16, '0');
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
    const result = await run(created(key, seq(0x0a), { rawKey: raw }));
    expect(result.batchItemFailures).toEqual([]);
    expect(s3Mock.commandCalls(GetObjectCommand)[0]?.args[0].input.Key).toBe(key);
    expect(record(key)).toMatchObject({ key, status: 'ingested', articleId: articleIdForKey(key) });
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

  it('writes the record once when a notification arrives five times (one item per key, nothing else)', async () => {
    bucket.set('a.txt', text('Once'));
    const same = () => created('a.txt', seq(0x5f1), {}, 'm-dup');
    const result = await run(same(), same(), same(), same(), same());
    expect(result.batchItemFailures).toEqual([]);
    // One write of the record, never a second one.
    const puts = ddbMock.commandCalls(PutCommand);
    expect(puts.map((c) => c.args[0].input.Item?.sk)).toEqual(['RECORD']);
    // The four duplicates are recognised before the object is read or parsed.
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(1);
    expect([...table.keys()].filter((k) => k.startsWith(`ART#${articleIdForKey('a.txt')}`))).toEqual([
      `ART#${articleIdForKey('a.txt')}\u0000RECORD`,
    ]);
  });

  it('ignores an older create that arrives after a newer delete (delete-after-create ends deleted)', async () => {
    bucket.set('b.txt', text('Old'));
    const old = created('b.txt', seq(0x10));
    bucket.delete('b.txt');
    await run(notification({ key: 'b.txt', sequencer: seq(0x20), eventName: 'ObjectRemoved:Delete' }));
    await run(old);
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(record('b.txt')).toMatchObject({
      status: 'deleted',
      sequencer: expect.stringMatching(/^0{14}20/),
    });
    expect(article('b.txt')).toBeUndefined();
  });

  it('applies a newer create after a delete (create-after-delete ends ingested)', async () => {
    await run(notification({ key: 'c.txt', sequencer: seq(0x10), eventName: 'ObjectRemoved:Delete' }));
    bucket.set('c.txt', text('Back'));
    await run(created('c.txt', seq(0x20)));
    expect(record('c.txt')).toMatchObject({ status: 'ingested', headline: 'Back' });
    expect(article('c.txt')).toMatchObject({ headline: 'Back' });
  });

  it('D3: orders sequencers of different lengths as AWS documents (right-pad with zeros, then compare)', async () => {
    // 0062E9A1B2 is newer than 0062E9A1B1FF: right-padded, 0062E9A1B200 > 0062E9A1B1FF (left-padding says the opposite).
    bucket.set('d.txt', text('Older'));
    const older = created('d.txt', '0062E9A1B1FF');
    bucket.set('d.txt', text('Newest'));
    const newer = created('d.txt', '0062E9A1B2');
    await run(newer);
    await run(older);
    expect(article('d.txt')).toMatchObject({ headline: 'Newest' });
    // And in delivery order the newer one still wins.
    bucket.set('e.txt', text('Older'));
    const olderE = created('e.txt', '0062E9A1B1FF');
    bucket.set('e.txt', text('Newest'));
    const newerE = created('e.txt', '0062E9A1B2');
    await run(olderE);
    await run(newerE);
    expect(article('e.txt')).toMatchObject({ headline: 'Newest' });
  });

  it('records an object that vanished before processing as deleted, without failing the record', async () => {
    const result = await run(
      notification({ key: 'gone.txt', sequencer: seq(1), eTag: '9b2cf535f27731c974343645a3985328' }),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(record('gone.txt')).toMatchObject({ status: 'deleted', detail: GONE_DETAIL });
  });

  it('records a rejection from the core and acknowledges the message', async () => {
    bucket.set('feed.json', Buffer.from('{"items": []}'));
    const metric = vi.spyOn(observability.metrics, 'addMetric');
    const result = await run(created('feed.json', seq(1)));
    expect(result.batchItemFailures).toEqual([]);
    expect(record('feed.json')).toMatchObject({ status: 'rejected', reason: 'unsupported-format' });
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
      created('slow.txt', seq(1), {}, 'm-slow'),
      created('ok.txt', seq(1), {}, 'm-ok'),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-slow' }]);
    expect(record('ok.txt')).toMatchObject({ status: 'ingested' });
    expect(record('slow.txt')).toBeUndefined();
  });

  it('a write that loses the race to a newer event of the key is settled as stale: acknowledged, not retried, the newer record kept', async () => {
    bucket.set('busy.txt', text('Busy'));
    const mine = created('busy.txt', seq(1), { versioned: true }, 'm-old');
    bucket.set('busy.txt', text('Newer'));
    const newer = created('busy.txt', seq(2), { versioned: true }, 'm-new');
    let raced = false;
    // Between this event's check and its write, the newer event is applied in full.
    faults.before = async (command, input) => {
      if (raced || command !== 'Put' || !mentions(input, 'busy.txt')) return;
      raced = true;
      expect((await run(newer)).batchItemFailures).toEqual([]);
    };
    const metric = vi.spyOn(observability.metrics, 'addMetric');
    const result = await run(mine);
    expect(result.batchItemFailures).toEqual([]);
    expect(raced).toBe(true);
    expect(record('busy.txt')).toMatchObject({
      status: 'ingested',
      headline: 'Newer',
      sequencer: expect.stringMatching(/^0{15}2/),
    });
    // Two puts: the newer event's, and this one's, refused by its condition and not tried again.
    expect(ddbMock.commandCalls(PutCommand)).toHaveLength(2);
    expect(metric).toHaveBeenCalledWith('EventsSkipped', 'Count', 1);
  });

  it('fails the record when S3 answers with a 5xx', async () => {
    s3Mock
      .on(GetObjectCommand)
      .rejects(
        new S3ServiceException({ name: 'InternalError', $fault: 'server', message: 'x', $metadata: {} }),
      );
    const result = await run(
      notification({ key: 'x.txt', sequencer: seq(1), eTag: 'abc' }, 'm-x'),
      notification({ key: 'y.txt', sequencer: seq(1), eventName: 'ObjectRemoved:Delete' }, 'm-y'),
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-x' }]);
    expect(record('y.txt')).toMatchObject({ status: 'deleted' });
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
      store: makeRecordWriter({ client: new DynamoDBClient(local), tableName: 'articles' }),
      normalise: standInNormalise,
      observability: loud,
    });
    await logged(
      sqsEvent(
        notification({ key: 'fail me.txt', sequencer: '0A', eTag: 'abc' }, 'm-1'),
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
      sequencer: expect.stringMatching(/^0A0+$/),
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
        created('a.txt', seq(1), {}, 'm-a'),
        created('b.txt', seq(1), {}, 'm-b'),
        created('c.txt', seq(1), {}, 'm-c'),
      ),
      context,
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-b' }, { itemIdentifier: 'm-c' }]);
    expect(record('a.txt')).toMatchObject({ status: 'ingested' });
    expect(record('b.txt')).toBeUndefined();
    expect(record('c.txt')).toBeUndefined();
  });

  it('rejects an object over MAX_ARTICLE_BYTES by its event size without reading it', async () => {
    const result = await run(
      notification({ key: 'huge.txt', sequencer: seq(1), size: MAX_ARTICLE_BYTES + 1, eTag: 'abc' }),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(record('huge.txt')).toMatchObject({ status: 'rejected', reason: 'too-large' });
  });

  it('rejects an object whose stored length is over the limit even when the event understated it', async () => {
    bucket.set('grew.txt', new Uint8Array(MAX_ARTICLE_BYTES + 10));
    await run(created('grew.txt', seq(1), { size: 10 }));
    expect(record('grew.txt')).toMatchObject({ status: 'rejected', reason: 'too-large' });
  });

  it('without a body bucket, rejects as too-large an article whose compressed record exceeds the inline limit; nothing truncated', async () => {
    // Random hex prose compresses only ~2x, so ~900 KB of it is far over the 32 KB inline body.
    const prose = randomBytes(450_000)
      .toString('hex')
      .replace(/(.{12})/g, '$1 ');
    bucket.set('dense.txt', Buffer.from(articleText({ headline: 'Dense', prose })));
    const result = await run(created('dense.txt', seq(1)));
    expect(result.batchItemFailures).toEqual([]);
    expect(record('dense.txt')).toMatchObject({ status: 'rejected', reason: 'too-large' });
    expect(record('dense.txt')?.body).toBeUndefined();
    expect(article('dense.txt')).toBeUndefined();
  });

  it('acknowledges a malformed body and records a rejection when the key can be recovered', async () => {
    const broken = { Records: [{ eventName: 42, s3: { object: { key: 'odd+name.txt', sequencer: '07' } } }] };
    const result = await run(sqsRecord('not json at all'), sqsRecord(broken));
    expect(result.batchItemFailures).toEqual([]);
    expect(record('odd name.txt')).toMatchObject({ status: 'rejected', reason: 'malformed-event' });
  });

  it('emits ingested/deleted counts, parse time and event-to-stored latency', async () => {
    bucket.set('m.txt', text('Metrics'));
    const metric = vi.spyOn(observability.metrics, 'addMetric');
    await run(created('m.txt', seq(1)));
    await run(notification({ key: 'm.txt', sequencer: seq(2), eventName: 'ObjectRemoved:Delete' }));
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

  it('handles the recorded fixtures: created object under an encoded key (read with its eTag), then its removal', async () => {
    const key = 'world/Shoigu meets Wang — talks+pact 100%.txt';
    bucket.putWithETag(key, text('Recorded'), '9b2cf535f27731c974343645a3985328');
    const made = await handler(loadEventFixture('sqs-s3-object-created.json'), lambdaContext());
    expect(made.batchItemFailures).toEqual([]);
    expect(s3Mock.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'news-articles-123456789012',
      Key: key,
      IfMatch: '"9b2cf535f27731c974343645a3985328"',
    });
    expect(record(key)).toMatchObject({ status: 'ingested', eventTime: '2026-11-20T09:14:03.512Z' });
    await handler(loadEventFixture('sqs-s3-object-removed.json'), lambdaContext());
    expect(record(key)).toMatchObject({ status: 'deleted' });
    expect(article(key)).toBeUndefined();
  });

  it('two events for one key in one batch end in the newest state whatever their order', async () => {
    bucket.set('pair.txt', text('Pair'));
    const create = created('pair.txt', seq(0x0a));
    bucket.delete('pair.txt');
    const result = await run(
      notification({ key: 'pair.txt', sequencer: seq(0x0b), eventName: 'ObjectRemoved:Delete' }),
      create,
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(record('pair.txt')).toMatchObject({ status: 'deleted' });
    expect(article('pair.txt')).toBeUndefined();
  });
});
