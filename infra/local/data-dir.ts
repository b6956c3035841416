import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file';
import { DLQ_FILE, QUEUE_FILE } from './queue-message';

/**
 * The local stack's data folder: DynamoDB Local's database, s3rver's files, the queue and DLQ, the cursor key
 * and a note of the running stack's endpoints (for `npm run upload` and `npm run redrive`).
 */
export const dataPaths = (dataDir: string) => {
  const root = resolve(dataDir);
  return {
    root,
    dynamodb: join(root, 'dynamodb'),
    s3: join(root, 's3'),
    queue: join(root, QUEUE_FILE),
    dlq: join(root, DLQ_FILE),
    cursorSecret: join(root, 'cursor-secret'),
    running: join(root, 'running.json'),
    /** Where the stream consumers' reading got to, per stream and shard. */
    streamCheckpoints: join(root, 'stream-checkpoints.json'),
  };
};

/** --fresh: removes only what the stack itself keeps there, never anything else in a user-chosen folder. */
export const clearDataDir = (dataDir: string): void => {
  const paths = dataPaths(dataDir);
  for (const path of [
    paths.dynamodb,
    paths.s3,
    paths.queue,
    paths.dlq,
    paths.cursorSecret,
    paths.streamCheckpoints,
  ])
    rmSync(path, { recursive: true, force: true });
};

/** A fixed cursor key per data folder, so cursors stay valid across restarts; random on first start. */
export const loadCursorSecret = (dataDir: string): string => {
  const { cursorSecret, root } = dataPaths(dataDir);
  if (existsSync(cursorSecret)) {
    const stored = readFileSync(cursorSecret, 'utf8').trim();
    if (stored.length >= 32) return stored;
  }
  mkdirSync(root, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(cursorSecret, `${secret}\n`, { mode: 0o600 });
  return secret;
};

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
}

export const RunningStackSchema = z.object({
  pid: z.number().int(),
  apiUrl: z.string(),
  s3Endpoint: z.string(),
  bucket: z.string(),
});
export type RunningStack = z.infer<typeof RunningStackSchema>;

export const writeRunningStack = (dataDir: string, running: RunningStack) =>
  writeJsonFile(dataPaths(dataDir).running, running);

export const clearRunningStack = (dataDir: string) => rmSync(dataPaths(dataDir).running, { force: true });

/** The stack started on this data folder, if its process is still alive. */
export const findRunningStack = (dataDir: string): RunningStack | null => {
  const running = readJsonFile(dataPaths(dataDir).running, RunningStackSchema.nullable(), null);
  if (!running) return null;
  try {
    process.kill(running.pid, 0);
    return running;
  } catch {
    return null;
  }
};
