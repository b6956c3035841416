import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { WaitReplySchema } from '../../../infra/local/admin-routes';
import { LOCAL_AWS } from '../../../infra/local/dynamodb-local';
import { freePort } from '../../../infra/local/free-port';
import { makeLocalS3Client } from '../../../infra/local/s3-local';
import { makeArticle } from '../support/articles';
import { makeRng } from '../support/rng';
import { inParallel } from '../support/stack-drill';
import { checkTable, describeReport } from '../support/table-check';
import type { HeavyDrill } from './drills';

/**
 * The whole `npm start` process killed with SIGKILL in the middle of a burst (node and its Java child, as a
 * crash or an OOM kill would), then started again on the same data folder. Every upload the bucket holds must
 * end ingested exactly once: events in flight come back from the persisted queue, and uploads whose event was
 * lost with the process are found by the start-up reconciliation. Once the stack is quiet (`POST /_local/wait`,
 * which includes the derive and count consumers reading the stream to its end), every derived item and catalogue
 * count must be exact.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const StatusSchema = z.object({ queued: z.number(), deadLetters: z.number() });

const startProcess = async (ports: { api: number; s3: number; dynamodb: number }, dataDir: string) => {
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      'tsx',
      'infra/local/main.ts',
      ...[
        '--port',
        String(ports.api),
        '--s3-port',
        String(ports.s3),
        '--dynamodb-port',
        String(ports.dynamodb),
      ],
      ...['--data-dir', dataDir, '--no-seeds'],
    ],
    {
      cwd: ROOT,
      // Its own process group, so one kill by group id takes node and Java down together.
      detached: true,
      stdio: 'ignore',
      env: {
        ...process.env,
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  );
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error('the local stack did not answer /health within 90 s');
    const ok = await fetch(`http://127.0.0.1:${ports.api}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
};

const killGroup = async (child: ChildProcess) => {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  await new Promise((r) => setTimeout(r, 500));
};

export const restartDrill: HeavyDrill = async (log) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'drill-restart-'));
  const ports = { api: await freePort(), s3: await freePort(), dynamodb: await freePort() };
  const rng = makeRng(19);
  const texts = new Map<string, Buffer>();
  for (let i = 0; i < 400; i++)
    texts.set(`restart/${String(i).padStart(4, '0')}.txt`, Buffer.from(makeArticle(rng).text, 'utf8'));
  const keys = [...texts.keys()];
  let child: ChildProcess | null = null;
  const s3 = makeLocalS3Client(`http://127.0.0.1:${ports.s3}`);
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: `http://127.0.0.1:${ports.dynamodb}` });
  try {
    child = await startProcess(ports, dataDir);
    const stored = new Set<string>();
    let killedAt = -1;
    await inParallel(keys, 6, async (key) => {
      if (killedAt >= 0) return;
      try {
        await s3.send(new PutObjectCommand({ Bucket: 'articles', Key: key, Body: texts.get(key) }));
        stored.add(key);
      } catch {
        return; // the process is gone; this upload is retried after the restart
      }
      if (stored.size === 200 && killedAt < 0 && child) {
        killedAt = stored.size;
        await killGroup(child);
      }
    });
    log(
      `restart: killed the local stack (node and Java, SIGKILL) after ${killedAt} of ${keys.length} uploads`,
    );
    child = await startProcess(ports, dataDir);
    const rest = keys.filter((k) => !stored.has(k));
    await inParallel(rest, 6, async (key) => {
      await s3.send(new PutObjectCommand({ Bucket: 'articles', Key: key, Body: texts.get(key) }));
    });
    log(`restart: started again on the same data folder and uploaded the other ${rest.length}`);
    const deadline = Date.now() + 180_000;
    const doc = DynamoDBDocumentClient.from(dynamo);
    const scanAll = async () => {
      const items: Array<Record<string, unknown>> = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new ScanCommand({ TableName: 'articles', ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    };
    const api = `http://127.0.0.1:${ports.api}/_local`;
    while (Date.now() < deadline) {
      const outcomes = (await scanAll()).filter((i) => i.sk === 'RECORD').length;
      const status = StatusSchema.parse(await (await fetch(`${api}/status`)).json());
      if (outcomes >= keys.length && status.queued === 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    // An empty queue is not the end: the derive and count consumers may still be reading the stream the burst wrote.
    const ingested = Date.now();
    let idle = false;
    while (!idle && Date.now() < deadline) {
      const reply = await fetch(`${api}/wait`, {
        method: 'POST',
        body: JSON.stringify({ timeoutMs: Math.min(30_000, Math.max(1, deadline - Date.now())) }),
      });
      idle = WaitReplySchema.parse(await reply.json()).idle;
    }
    log(
      `restart: the stream consumers caught up ${((Date.now() - ingested) / 1000).toFixed(1)} s after the last outcome${idle ? '' : ' (NOT within the time box)'}`,
    );
    const items = await scanAll();
    const sequencers = new Map(
      items.filter((i) => i.sk === 'RECORD').map((i) => [String(i.key), String(i.sequencer)]),
    );
    const report = checkTable(
      keys.map((key) => ({
        key,
        bytes: texts.get(key) ?? null,
        newestSequencer: sequencers.get(key) ?? '0',
      })),
      items,
    );
    log(`restart: ${describeReport(report)}`);
    return [
      ...(idle ? [] : ['the local stack did not go quiet within the time box']),
      ...report.problems,
      ...(report.outcomes.ingested === keys.length
        ? []
        : [`${report.outcomes.ingested} of ${keys.length} ingested`]),
    ];
  } finally {
    s3.destroy();
    dynamo.destroy();
    if (child) await killGroup(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
};
