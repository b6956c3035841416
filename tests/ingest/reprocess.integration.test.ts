import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleIdForKey, PARSER_VERSION } from '../../functions/core/article';
import { type IngestHandler, makeIngestHandler } from '../../functions/ingest/ingest';
import { GONE_DETAIL } from '../../functions/ingest/process-record';
import { decodeBody } from '../../functions/store/article-item';
import { makeRecordWriter, type RecordWriter } from '../../functions/store/record-writer';
import { SEQUENCER_FLOOR, SequencerSchema } from '../../functions/store/sequencer';
import type { LocalServices } from '../support/local-services';
import { startLocalServices } from '../support/local-services';
import { quietObservability } from '../support/quiet-observability';
import { eTagOf } from '../support/s3-objects';
import { lambdaContext, notification, sqsEvent, sqsRecord } from '../support/sqs-events';
import { articleText, standInNormalise } from '../support/stand-in-core';

/**
 * Reprocess messages through the real handler and writer, against s3rver and DynamoDB Local: when a reprocess
 * re-stores, when it costs nothing, and that it never outranks an upload or delete of the same key.
 */
let services: LocalServices;
let table: string;
let writer: RecordWriter;
const observability = quietObservability();

/** A handler whose core stamps `parserVersion` (a stand-in for a parser change). */
const handlerWith = (
  parserVersion: string,
  store: Pick<RecordWriter, 'write' | 'check' | 'checkReprocess'> = writer,
): IngestHandler =>
  makeIngestHandler({
    s3: s3().client,
    store,
    observability,
    parserVersion,
    normalise: (bytes, key, source) => {
      const result = standInNormalise(bytes, key, source);
      return 'parserVersion' in result ? { ...result, parserVersion } : result;
    },
  });

const s3 = () => {
  if (!services.s3) throw new Error('s3rver did not start');
  return services.s3;
};

beforeAll(async () => {
  services = await startLocalServices({ s3: true });
  table = await services.newTable();
  writer = makeRecordWriter({ client: services.dynamo.client, tableName: table });
});
afterAll(async () => {
  await services?.stop();
});

const text = (headline: string) => articleText({ headline, people: ['Wang Yi'], keywords: ['river'] });
const eTags = new Map<string, string>();
const put = async (key: string, body: string) => {
  await s3().client.send(new PutObjectCommand({ Bucket: services.bucket, Key: key, Body: body }));
  eTags.set(key, eTagOf(Buffer.from(body)));
};
const del = (key: string) => s3().client.send(new DeleteObjectCommand({ Bucket: services.bucket, Key: key }));
/** What ListObjectsV2 would say of the object now (the eTag with its quotes, as S3 lists it). */
const listed = async (key: string) => {
  const head = await s3().client.send(new HeadObjectCommand({ Bucket: services.bucket, Key: key }));
  return { eTag: head.ETag, size: head.ContentLength };
};
const reprocessMessage = (
  key: string,
  listing: { eTag?: string | undefined; size?: number | undefined } = {},
) => sqsRecord({ reprocess: { bucket: services.bucket, key, ...listing, run: 'test-run' } });
/** The notification of the key's last upload (with its eTag, so the ingest reads exactly that object). */
const upload = (key: string, sequencer: string) =>
  notification({ key, sequencer: seqOf(sequencer), bucket: services.bucket, eTag: eTags.get(key) ?? '' });
const removal = (key: string, sequencer: string) =>
  notification({
    key,
    sequencer: seqOf(sequencer),
    bucket: services.bucket,
    eventName: 'ObjectRemoved:Delete',
  });

const run = async (handler: IngestHandler, ...records: Parameters<typeof sqsEvent>) => {
  const result = await handler(sqsEvent(...records), lambdaContext());
  expect(result.batchItemFailures).toEqual([]);
};
const itemsOf = async (key: string) => {
  const id = articleIdForKey(key);
  return (await services.scanAll(table))
    .filter((i) => String(i.pk) === `ART#${id}` || String(i.sk).endsWith(id))
    .sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
};
/** The key's record, and the article it holds (decoded), if any. */
const stored = async (key: string) => {
  const outcome = (await itemsOf(key)).find((i) => i.sk === 'RECORD');
  const article = outcome?.body instanceof Uint8Array ? decodeBody(outcome.body) : undefined;
  return { outcome, article };
};
/** Real-looking sequencers: 18 hex digits, ordered by the short tag the tests name them by ('10' < '41'). */
const seqOf = (tag: string) => `0069204C8E7B${tag.padStart(6, '0')}`;
const seq = (tag: string) => SequencerSchema.parse(seqOf(tag));
const current = () => handlerWith(PARSER_VERSION);

describe('reprocess messages against s3rver and DynamoDB Local', () => {
  it('ingests an object that has no outcome, under a sequencer every real event outranks', async () => {
    await put('never-seen.txt', text('Never notified'));
    await run(current(), reprocessMessage('never-seen.txt', await listed('never-seen.txt')));
    const { outcome, article } = await stored('never-seen.txt');
    expect(outcome).toMatchObject({ status: 'ingested', sequencer: SEQUENCER_FLOOR });
    expect(article).toMatchObject({ headline: 'Never notified', parserVersion: PARSER_VERSION });
    // The lowest real sequencer still applies: a delete after the reprocess is not lost.
    await del('never-seen.txt');
    await run(current(), removal('never-seen.txt', '01'));
    expect(await stored('never-seen.txt')).toMatchObject({
      outcome: { status: 'deleted', sequencer: seq('01') },
      article: undefined,
    });
  });

  it('an unchanged article (same eTag, same parser) costs one read and no write', async () => {
    await put('same.txt', text('Same as before'));
    await run(current(), upload('same.txt', '10'));
    const before = await itemsOf('same.txt');
    let queries = 0;
    let writes = 0;
    const counting: Pick<RecordWriter, 'write' | 'check' | 'checkReprocess'> = {
      write: (request) => {
        writes += 1;
        return writer.write(request);
      },
      check: (key, sequencer) => writer.check(key, sequencer),
      checkReprocess: (key, probe) => {
        queries += 1;
        return writer.checkReprocess(key, probe);
      },
    };
    await run(handlerWith(PARSER_VERSION, counting), reprocessMessage('same.txt', await listed('same.txt')));
    expect({ queries, writes }).toEqual({ queries: 1, writes: 0 });
    expect(await itemsOf('same.txt')).toEqual(before);
  });

  it('an unchanged article listed without its eTag is re-read but not re-written', async () => {
    await put('no-etag.txt', text('No eTag in the listing'));
    await run(current(), upload('no-etag.txt', '10'));
    const before = await itemsOf('no-etag.txt');
    await run(current(), reprocessMessage('no-etag.txt'));
    expect(await itemsOf('no-etag.txt')).toEqual(before);
  });

  it("re-stores an article made by an older parser, keeping the key's sequencer", async () => {
    await put('old-parser.txt', text('Parsed long ago'));
    await run(handlerWith('0.0.1'), upload('old-parser.txt', '20'));
    expect((await stored('old-parser.txt')).article).toMatchObject({ parserVersion: '0.0.1' });
    await run(current(), reprocessMessage('old-parser.txt', await listed('old-parser.txt')));
    const { outcome, article } = await stored('old-parser.txt');
    expect(article).toMatchObject({ parserVersion: PARSER_VERSION, headline: 'Parsed long ago' });
    expect(outcome).toMatchObject({ status: 'ingested', sequencer: seq('20') });
    // A second reprocess finds it current.
    const after = await itemsOf('old-parser.txt');
    await run(current(), reprocessMessage('old-parser.txt', await listed('old-parser.txt')));
    expect(await itemsOf('old-parser.txt')).toEqual(after);
  });

  it('re-stores when the stored outcome is for other content (an event that never came)', async () => {
    await put('edited.txt', text('First version'));
    await run(current(), upload('edited.txt', '30'));
    await put('edited.txt', text('Second version'));
    await run(current(), reprocessMessage('edited.txt', await listed('edited.txt')));
    expect((await stored('edited.txt')).article).toMatchObject({ headline: 'Second version' });
  });

  it('a rejected object whose rejection is unchanged is not re-written', async () => {
    await put('short.txt', 'Too short\n\nfour words only here');
    await run(current(), reprocessMessage('short.txt', await listed('short.txt')));
    const first = await stored('short.txt');
    expect(first.outcome).toMatchObject({ status: 'rejected', reason: 'too-short' });
    await run(current(), reprocessMessage('short.txt', await listed('short.txt')));
    expect((await stored('short.txt')).outcome).toEqual(first.outcome);
  });

  it('an object deleted before its reprocess is handled ends deleted, not in an error', async () => {
    await put('vanishing.txt', text('Here, then gone'));
    // Made by an older parser, so the reprocess must read the object (a current one ends at the check, and the
    // delete's own notification removes it).
    await run(handlerWith('0.0.1'), upload('vanishing.txt', '40'));
    const listing = await listed('vanishing.txt');
    await del('vanishing.txt');
    await run(current(), reprocessMessage('vanishing.txt', listing));
    expect(await stored('vanishing.txt')).toMatchObject({
      outcome: { status: 'deleted', detail: GONE_DETAIL },
      article: undefined,
    });
    // The delete's own notification, newer than anything stored, still applies.
    await run(current(), removal('vanishing.txt', '41'));
    expect((await stored('vanishing.txt')).outcome).toMatchObject({
      status: 'deleted',
      sequencer: seq('41'),
    });
  });

  describe('race with a newer upload of the same key', () => {
    it('upload applied while the reprocess is between its read and its write: the upload wins', async () => {
      await put('race-a.txt', text('Old text'));
      await run(handlerWith('0.0.1'), upload('race-a.txt', '50'));
      const listing = await listed('race-a.txt');
      // The reprocess reads the state and the object; before it writes, the new upload lands and is applied.
      const interleaving: RecordWriter = {
        ...writer,
        write: async (request) => {
          if (request.reprocess) {
            await put('race-a.txt', text('New upload'));
            await run(current(), upload('race-a.txt', '51'));
          }
          return writer.write(request);
        },
      };
      await run(handlerWith(PARSER_VERSION, interleaving), reprocessMessage('race-a.txt', listing));
      const { outcome, article } = await stored('race-a.txt');
      expect(article).toMatchObject({ headline: 'New upload', parserVersion: PARSER_VERSION });
      expect(outcome).toMatchObject({ status: 'ingested', sequencer: seq('51') });
    });

    it('reprocess first, upload after: the upload applies over the reprocess', async () => {
      await put('race-b.txt', text('Old text'));
      await run(handlerWith('0.0.1'), upload('race-b.txt', '60'));
      await run(current(), reprocessMessage('race-b.txt', await listed('race-b.txt')));
      await put('race-b.txt', text('New upload'));
      await run(current(), upload('race-b.txt', '61'));
      expect(await stored('race-b.txt')).toMatchObject({
        outcome: { status: 'ingested', sequencer: seq('61') },
        article: { headline: 'New upload' },
      });
    });

    it('upload first, then a reprocess listed before it: nothing is written', async () => {
      await put('race-c.txt', text('Old text'));
      await run(handlerWith('0.0.1'), upload('race-c.txt', '70'));
      const staleListing = await listed('race-c.txt');
      await put('race-c.txt', text('New upload'));
      await run(current(), upload('race-c.txt', '71'));
      const after = await itemsOf('race-c.txt');
      await run(current(), reprocessMessage('race-c.txt', staleListing));
      expect(await itemsOf('race-c.txt')).toEqual(after);
    });

    it('a delete applied while the reprocess is under way: the key stays deleted', async () => {
      await put('race-d.txt', text('Old text'));
      await run(handlerWith('0.0.1'), upload('race-d.txt', '80'));
      const interleaving: RecordWriter = {
        ...writer,
        write: async (request) => {
          if (request.reprocess) {
            await del('race-d.txt');
            await run(current(), removal('race-d.txt', '81'));
          }
          return writer.write(request);
        },
      };
      await run(
        handlerWith(PARSER_VERSION, interleaving),
        reprocessMessage('race-d.txt', await listed('race-d.txt')),
      );
      expect(await stored('race-d.txt')).toMatchObject({
        outcome: { status: 'deleted', sequencer: seq('81') },
        article: undefined,
      });
    });
  });
});
