import { randomBytes } from 'node:crypto';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleIdForKey } from '../../functions/core/article';
import { countDeltas, StreamRecordSchema, spanOf } from '../../functions/store/count-deltas';
import { makeCountWriter } from '../../functions/store/count-writer';
import { makeDeriveWriter } from '../../functions/store/derive-writer';
import { makeRecordWriter } from '../../functions/store/record-writer';
import { lambdaClient, lostResponse, memoryBodies } from '../support/audit-clients';
import { type LocalServices, startLocalServices } from '../support/local-services';
import { standInArticle } from '../support/stand-in-core';
import { deleteRequest, derivedKeysIn, expectedDerivedKeys, ingestRequest } from '../support/store-pipeline';

/**
 * The write-path audit of 2026-12-07 (../shared/audit), ported to the store as it is now: each scenario is the
 * audit's interleaving, each assertion the promise it broke. D1 and D7 go through the ingest handler and the local
 * stack (tests/ingest, tests/e2e); D3 is in ./store-pipeline.integration.test.ts.
 */
let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ s3: false });
});
afterAll(async () => {
  await services?.stop();
});

const article = standInArticle;
/** About 100 KB of prose that gzip cannot shrink under the record's inline limit. */
const hugeProse = () =>
  randomBytes(100_000)
    .toString('base64')
    .replace(/(.{60})/g, '$1 ');

const recordOf = async (table: string, key: string) =>
  (await services.scanAll(table)).find((i) => i.pk === `ART#${articleIdForKey(key)}` && i.sk === 'RECORD');

describe('audit D2: two runs of one reprocess message at once, on clocks 50 ms apart', () => {
  it('one writes, the other finds it done; nothing is left half-written and the lists follow', async () => {
    const table = await services.newTable();
    const client = services.dynamo.client;
    const KEY = 'parsed.txt';
    const v1 = article(KEY, { headline: 'Parsed', date: '2024-03-01', people: ['Ann Lee'] });
    const v2 = { ...v1, parserVersion: `${v1.parserVersion}-next` };
    await makeRecordWriter({ client, tableName: table }).write(
      ingestRequest(v1, '0062E9A1B200000A', { sourceETag: 'e1' }),
    );
    const at = (iso: string) => () => new Date(iso);
    const run1 = makeRecordWriter({ client, tableName: table, now: at('2025-01-01T00:00:00.100Z') });
    const run2 = makeRecordWriter({ client, tableName: table, now: at('2025-01-01T00:00:00.050Z') });
    const checks = await Promise.all([
      run1.checkReprocess(KEY, { eTag: 'e1', parserVersion: v2.parserVersion }),
      run2.checkReprocess(KEY, { eTag: 'e1', parserVersion: v2.parserVersion }),
    ]);
    const basis = checks.map((c) => (c.verdict === 'apply' ? c.basis : 'none'));
    const reprocess = (basisOf: string) =>
      ingestRequest(v2, basisOf, { reprocess: true, parserVersion: v2.parserVersion, sourceETag: 'e1' });
    const results = await Promise.all([
      run1.write(reprocess(basis[0] ?? '')),
      run2.write(reprocess(basis[1] ?? '')),
    ]);
    expect(results.map((r) => r.effect).sort()).toEqual(['unchanged', 'written']);
    expect(await recordOf(table, KEY)).toMatchObject({ parserVersion: v2.parserVersion, status: 'ingested' });
    await makeDeriveWriter({ client, tableName: table }).apply([v1.id]);
    const items = await services.scanAll(table);
    expect(derivedKeysIn(items)).toEqual(expectedDerivedKeys([v2]));
    const applied = items.find((i) => i.sk === 'APPLIED');
    expect(applied?.rev).toBe((await recordOf(table, KEY))?.rev);
    expect(applied?.indexedAt).toEqual(expect.any(String));
  });
});

describe('audit D5, D6: no record ever points at a missing body', () => {
  it('D5: a record put whose response is lost, a delete in between, then the SDK retry', async () => {
    const table = await services.newTable();
    const KEY = 'long.txt';
    const bodies = memoryBodies();
    const big = article(KEY, { headline: 'Long read', date: '2024-05-01', prose: hugeProse() });
    const deleter = makeRecordWriter({ client: services.dynamo.client, tableName: table, bodies });
    let lost = false;
    const flaky = lambdaClient(services.dynamo.endpoint, {
      after: async (command) => {
        if (!lost && command === 'PutItemCommand') {
          lost = true;
          await deleter.write(deleteRequest(KEY, '0062E9A1B2000020'));
          throw lostResponse();
        }
      },
    });
    const result = await makeRecordWriter({ client: flaky, tableName: table, bodies }).write(
      ingestRequest(big, '0062E9A1B2000010'),
    );
    expect(lost).toBe(true);
    // The SDK's retry found the newer delete: the event is stale, the record says deleted, no body was removed.
    expect(result.effect).toBe('stale');
    expect(await recordOf(table, KEY)).toMatchObject({ status: 'deleted' });
    expect(bodies.objects.size).toBe(1);
  });

  it('D6: a reprocess racing the event of the same large body: the live record points at a body that exists', async () => {
    const table = await services.newTable();
    const KEY = 'epic.txt';
    const bodies = memoryBodies();
    const big = article(KEY, { headline: 'Epic', date: '2024-06-01', prose: hugeProse() });
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached = () => {};
    const stalled = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const slow = lambdaClient(services.dynamo.endpoint, {
      before: async (command) => {
        if (command === 'PutItemCommand') {
          reached();
          await gate;
        }
      },
    });
    // Event S1 stalls after putting its body, before its record.
    const event = makeRecordWriter({ client: slow, tableName: table, bodies }).write(
      ingestRequest(big, '0062E9A1B2000010', { sourceETag: 'e1' }),
    );
    await stalled;
    const reprocess = makeRecordWriter({ client: services.dynamo.client, tableName: table, bodies });
    const check = await reprocess.checkReprocess(KEY, { parserVersion: 'next' });
    expect(check).toEqual({ verdict: 'apply', basis: '0'.repeat(32) });
    const reparsed = { ...big, parserVersion: 'next' };
    expect(
      await reprocess.write(
        ingestRequest(reparsed, '0'.repeat(32), { reprocess: true, parserVersion: 'next' }),
      ),
    ).toMatchObject({ effect: 'written' });
    release();
    // The real event outranks the reprocess (its sequencer is above the floor the reprocess wrote under).
    expect(await event).toMatchObject({ effect: 'written' });
    const record = await recordOf(table, KEY);
    expect(record?.bodyKey).toEqual(expect.any(String));
    expect(bodies.objects.has(String(record?.bodyKey))).toBe(true);
    // The next reprocess of the same object and parser writes nothing and still points at an existing body.
    const again = ingestRequest(big, '0062E9A1B2000010', { reprocess: true, sourceETag: 'e1' });
    expect(await reprocess.write(again)).toMatchObject({
      effect: 'unchanged',
    });
    expect(bodies.objects.has(String((await recordOf(table, KEY))?.bodyKey))).toBe(true);
  });
});

describe('lost responses', () => {
  it('a record put that committed but whose response was lost is retried by the SDK and reported as written', async () => {
    const table = await services.newTable();
    let lost = false;
    const flaky = lambdaClient(services.dynamo.endpoint, {
      after: (command) => {
        if (!lost && command === 'PutItemCommand') {
          lost = true;
          throw lostResponse();
        }
      },
    });
    const a = article('lost.txt', { headline: 'Lost', date: '2024-01-01', people: ['Ann Lee'] });
    expect(await makeRecordWriter({ client: flaky, tableName: table }).write(ingestRequest(a))).toMatchObject(
      {
        recorded: 'ingested',
        effect: 'written',
      },
    );
    expect(lost).toBe(true);
  });
});

describe('audit D4: a count batch that failed half-way, redelivered split and out of order', () => {
  const rec = (sequence: number, pk: string, sk: string) =>
    StreamRecordSchema.parse({
      eventName: 'INSERT',
      dynamodb: { Keys: { pk: { S: pk }, sk: { S: sk } }, SequenceNumber: String(sequence) },
    });

  it('counts every record once', async () => {
    const table = await services.newTable();
    const r1 = rec(101, 'ENT#person#ann lee', '2024-01-01#a');
    const r2 = rec(102, 'ENT#person#bo kim', '2024-01-01#b');
    const r3 = rec(103, 'ENT#person#ann lee', '2024-01-01#c');
    let throttled = false;
    const flaky = lambdaClient(services.dynamo.endpoint, {
      before: (command, input) => {
        const sk = (input.Key as { sk?: unknown } | undefined)?.sk;
        const name = typeof sk === 'string' ? sk : (sk as { S?: string } | undefined)?.S;
        if (!throttled && command === 'UpdateItemCommand' && name === 'ann lee') {
          throttled = true;
          throw new DynamoDBServiceException({
            name: 'ThrottlingException',
            $fault: 'client',
            $metadata: {},
            message: 'throttled (retries spent)',
          });
        }
      },
    });
    const apply = (writer: ReturnType<typeof makeCountWriter>, records: ReturnType<typeof rec>[]) => {
      const span = spanOf(records);
      if (!span) throw new Error('empty batch');
      return writer.apply('shard-1', span, countDeltas(records));
    };
    await expect(apply(makeCountWriter({ client: flaky, tableName: table }), [r1, r2, r3])).rejects.toThrow();
    const writer = makeCountWriter({ client: services.dynamo.client, tableName: table });
    await apply(writer, [r2, r3]);
    await apply(writer, [r1]);
    // And once more, whole, as a later retry would: nothing counts twice.
    await apply(writer, [r1, r2, r3]);
    const items = await services.scanAll(table);
    const count = (name: string) =>
      Number(
        items.find((i) => String(i.pk).startsWith('ENTCAT#person#') && i.sk === name)?.articleCount ?? 0,
      );
    expect({ ann: count('ann lee'), bo: count('bo kim') }).toEqual({ ann: 2, bo: 1 });
  });
});
