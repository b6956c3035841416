import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Article, isRejection } from '../../functions/core/article';
import { makeCountHandler } from '../../functions/count/count';
import { makeDeriveHandler } from '../../functions/derive/derive';
import { type CountWriter, makeCountWriter } from '../../functions/store/count-writer';
import { makeDeriveWriter } from '../../functions/store/derive-writer';
import { makeRecordWriter } from '../../functions/store/record-writer';
import { streamHandlers } from '../../infra/local/handler-types';
import { startStreamConsumers } from '../../infra/local/stream-consumers';
import { catalogueMismatches } from '../support/catalogue-check';
import { type LocalServices, startLocalServices } from '../support/local-services';
import { quietObservability } from '../support/quiet-observability';
import { articleText, standInNormalise } from '../support/stand-in-core';
import { deleteRequest, ingestRequest, streamHandler } from '../support/store-pipeline';

/**
 * The count consumer on DynamoDB Local's real stream, behind the derive consumer as the local stack runs them:
 * restarts, replays and batches that fail half-way never count an entry twice or miss one.
 */
let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ s3: false });
});
afterAll(async () => {
  await services?.stop();
});

const article = (key: string, date: string, people: string[], places: string[] = []): Article => {
  const result = standInNormalise(
    Buffer.from(articleText({ headline: `About ${key}`, date, people, places, keywords: ['news'] })),
    key,
  );
  if (isRejection(result)) throw new Error(result.detail);
  return result;
};

/** The table's catalogue: `type/name -> articleCount`, zero counts left out. */
const catalogue = (items: Array<Record<string, unknown>>) =>
  Object.fromEntries(
    items
      .filter((i) => String(i.pk).startsWith('ENTCAT#') && Number(i.articleCount) !== 0)
      .map((i) => [`${String(i.pk).split('#')[1]}/${String(i.sk)}`, Number(i.articleCount)])
      .sort(),
  );

/** The consumers as deployed, on this table. */
const deployedHandler = (table: string) =>
  streamHandler({ client: services.dynamo.client, tableName: table });

const setUp = async (wrap: (writer: CountWriter) => CountWriter['apply'] = (w) => w.apply) => {
  const table = await services.newTable();
  const client = services.dynamo.client;
  const writer = makeRecordWriter({ client, tableName: table });
  const countWriter = makeCountWriter({ client, tableName: table });
  const failures: unknown[] = [];
  const consumer = await startStreamConsumers({
    dynamodb: client,
    endpoint: services.dynamo.endpoint,
    tableName: table,
    handler: streamHandlers({
      derive: makeDeriveHandler({
        writer: makeDeriveWriter({ client, tableName: table }),
        observability: quietObservability(),
      }),
      count: makeCountHandler({ writer: { apply: wrap(countWriter) }, observability: quietObservability() }),
    }),
    tuning: { batchSize: 7, idlePollMs: 10, retryMs: 10 },
    onInvocation: ({ error }) => error && failures.push(error),
  });
  const write = (key: string, sequencer: string, a: Article | null) =>
    writer.write(
      a ? ingestRequest(a, sequencer.padStart(16, '0')) : deleteRequest(key, sequencer.padStart(16, '0')),
    );
  return { table, write, consumer, failures };
};

describe('count consumer on DynamoDB Local stream', () => {
  it('resumes after its checkpoint on a restart: nothing already delivered is delivered again', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'checkpoints-')), 'stream-checkpoints.json');
    const { table, write, consumer } = await setUp();
    await consumer.stop();
    const start = async (delivered: number[]) =>
      startStreamConsumers({
        dynamodb: services.dynamo.client,
        endpoint: services.dynamo.endpoint,
        tableName: table,
        handler: deployedHandler(table),
        tuning: { idlePollMs: 10 },
        checkpointFile: file,
        onInvocation: ({ records }) => delivered.push(records),
      });
    const first: number[] = [];
    const one = await start(first);
    await write('a.txt', '01', article('a.txt', '2024-01-01', ['Ann Lee']));
    await one.caughtUp();
    await one.stop();
    const second: number[] = [];
    const two = await start(second);
    await two.caughtUp();
    await two.stop();
    expect(first.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(second).toEqual([]);
    expect(catalogue(await services.scanAll(table))).toEqual({ 'person/ann lee': 1 });
  });

  it('counts follow ingests, overwrites that add and drop entities, duplicates, stale events and deletes', async () => {
    const { table, write, consumer } = await setUp();
    try {
      await write('a.txt', '01', article('a.txt', '2024-01-01', ['Ann Lee', 'Bo Kim'], ['Leeds']));
      await write('b.txt', '01', article('b.txt', '2024-01-02', ['Ann Lee'], ['Leeds']));
      // Overwrite: drops Bo Kim, adds Cy Ng, and moves the date (Ann Lee's entry key changes).
      await write('a.txt', '03', article('a.txt', '2024-02-01', ['Ann Lee', 'Cy Ng'], ['Leeds']));
      await write('a.txt', '03', article('a.txt', '2024-02-01', ['Ann Lee', 'Cy Ng'], ['Leeds'])); // duplicate
      await write('a.txt', '02', article('a.txt', '2024-01-01', ['Di Roe'])); // older: stale
      await write('c.txt', '01', article('c.txt', '2024-03-01', ['Bo Kim']));
      await write('c.txt', '02', null); // deleted
      await consumer.caughtUp();
      const items = await services.scanAll(table);
      expect(catalogue(items)).toEqual({
        'person/ann lee': 2,
        'person/cy ng': 1,
        'place/leeds': 2,
      });
      expect(catalogueMismatches(items)).toEqual([]);
      // The display name comes from the entry that appeared.
      expect(items.find((i) => i.pk === 'ENTCAT#person#c' && i.sk === 'cy ng')).toMatchObject({
        name: 'Cy Ng',
        type: 'person',
      });
    } finally {
      await consumer.stop();
    }
  });

  it('stays exact when the consumer fails half-way through batches (each batch is redelivered)', async () => {
    let calls = 0;
    const { table, write, consumer, failures } = await setUp((writer) => async (shard, span, deltas) => {
      calls += 1;
      // Every other delivery applies only the first half of its items, then fails.
      if (calls % 2 === 1 && deltas.length > 1) {
        await writer.apply(shard, span, deltas.slice(0, Math.ceil(deltas.length / 2)));
        throw new Error('killed mid-batch');
      }
      return writer.apply(shard, span, deltas);
    });
    try {
      const people = ['Ann Lee', 'Bo Kim', 'Cy Ng', 'Di Roe', 'Ed Poe'];
      for (let i = 0; i < 12; i++) {
        const named = people.filter((_, p) => (i + p) % 3 !== 0);
        await write(
          `k${i % 5}.txt`,
          (i + 1).toString(16).padStart(2, '0'),
          article(`k${i % 5}.txt`, `2024-01-0${(i % 9) + 1}`, named),
        );
      }
      await write('k1.txt', 'ff', null);
      await consumer.caughtUp();
      expect(failures.length).toBeGreaterThan(0);
      expect(catalogueMismatches(await services.scanAll(table))).toEqual([]);
    } finally {
      await consumer.stop();
    }
  });

  it('a replay of the whole stream (a restart reading from the trim horizon) changes no count', async () => {
    const { table, write, consumer } = await setUp();
    await write('a.txt', '01', article('a.txt', '2024-01-01', ['Ann Lee', 'Bo Kim']));
    await write('b.txt', '01', article('b.txt', '2024-01-01', ['Ann Lee']));
    await consumer.caughtUp();
    await consumer.stop();
    const before = catalogue(await services.scanAll(table));
    const replay = await startStreamConsumers({
      dynamodb: services.dynamo.client,
      endpoint: services.dynamo.endpoint,
      tableName: table,
      handler: deployedHandler(table),
    });
    try {
      await replay.caughtUp();
      expect(catalogue(await services.scanAll(table))).toEqual(before);
      expect(before).toEqual({ 'person/ann lee': 2, 'person/bo kim': 1 });
    } finally {
      await replay.stop();
    }
  });
});
