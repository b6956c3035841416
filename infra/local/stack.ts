import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { localAdminRoutes } from './admin-routes';
import { startBridge } from './bridge';
import {
  clearDataDir,
  clearRunningStack,
  DataDirInUseError,
  dataPaths,
  findRunningStack,
  loadCursorSecret,
  writeRunningStack,
} from './data-dir';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from './dynamodb-local';
import { describeOutcome, LOCAL_INGEST_TUNING, type LocalHandlers, type MakeHandlers } from './handler-types';
import { makeHealthCheck, type StackHealth, tableHealth } from './health';
import { startHttpApiServer } from './http-server';
import { type LocalLogger, silentLogger } from './local-logger';
import { DEFAULT_BUCKET, DEFAULT_TABLE } from './options';
import { startPoller } from './poller';
import { LocalQueue } from './queue';
import { eventsInMessages, keysInMessages, reconcileBucket } from './reconcile';
import { makeReprocessRunner } from './reprocess-run';
import { localApiRouter } from './routes';
import { type S3Local, startS3Local } from './s3-local';
import { buildS3TestEvent } from './s3-notification';
import { uploadSeeds } from './seeds';
import { makeSequencer } from './sequencer';
import { localQueueArn } from './sqs-event';
import { startStreamConsumers } from './stream-consumers';
import { watchParts } from './watchdog';

export interface LocalStackOptions {
  dataDir: string;
  /** 0 picks a free port (tests); the CLI passes fixed defaults. */
  apiPort?: number;
  s3Port?: number;
  dynamoDbPort?: number;
  /** Folder whose files are put into the bucket on start (unless already there); null for none. */
  seedsDir?: string | null;
  fresh?: boolean;
  bucket?: string;
  tableName?: string;
  corsAllowOrigins?: string[];
  tuning?: Partial<typeof LOCAL_INGEST_TUNING>;
  logger?: LocalLogger;
  /** The handlers to run; defaults to the real ones (./handlers). */
  makeHandlers?: MakeHandlers;
}

export interface LocalStack {
  apiUrl: string;
  s3Endpoint: string;
  dynamoDbEndpoint: string;
  bucket: string;
  tableName: string;
  dataDir: string;
  queue: LocalQueue;
  /** Resolves with the seed keys uploaded on this start (none when they were already there). */
  seeded: Promise<string[]>;
  /**
   * Resolves (with one line saying why) when a part died for good: s3rver closed, a handler loop stopped, or
   * DynamoDB Local exited more often than it is restarted. The stack does not stop itself: its runner does.
   */
  died: Promise<string>;
  /** Each part checked now, as GET /health answers. */
  health(): Promise<StackHealth>;
  /** Resolves once every event so far has been bridged and processed (or parked in the DLQ). */
  waitForIdle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const QUEUE_NAME = 'local-ingest';
/** Powertools defaults that keep a terminal readable; anything the user set explicitly wins. */
const quietPowertools = () => {
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.AWS_REGION ??= 'us-east-1';
};

/** Starts the whole pipeline on this machine; main.ts, the end-to-end tests and the bench all use this. */
export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  quietPowertools();
  const logger = options.logger ?? silentLogger();
  const tuning = { ...LOCAL_INGEST_TUNING, ...options.tuning };
  const bucket = options.bucket ?? DEFAULT_BUCKET;
  const tableName = options.tableName ?? DEFAULT_TABLE;
  // Its own bucket, as in the stack: the bridge forwards only the upload bucket's events.
  const bodyBucket = `${bucket}-bodies`;
  const paths = dataPaths(options.dataDir);
  const other = findRunningStack(paths.root);
  if (other && other.pid !== process.pid)
    throw new DataDirInUseError(
      `Another local stack (pid ${other.pid}, ${other.apiUrl}) is using ${paths.root}; stop it or pass --data-dir.`,
    );
  if (options.fresh) clearDataDir(paths.root);
  const cursorSecret = loadCursorSecret(paths.root);
  const bucketIsNew = !existsSync(join(paths.s3, bucket));

  // The handler modules (NLP libraries included) load while Java starts.
  const handlerFactory = options.makeHandlers
    ? Promise.resolve(options.makeHandlers)
    : import('./handlers').then((m) => m.makeHandlers);
  handlerFactory.catch(() => {});

  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    // Both are started together; if one fails the other is still stopped (allSettled, not all).
    const [dynamoStart, s3Start] = await Promise.allSettled([
      startDynamoDbLocal({
        ...(options.dynamoDbPort ? { port: options.dynamoDbPort } : {}),
        dataDir: paths.dynamodb,
      }),
      startS3Local({
        directory: paths.s3,
        buckets: [bucket, bodyBucket],
        ...(options.s3Port ? { port: options.s3Port } : {}),
      }),
    ]);
    if (dynamoStart.status === 'fulfilled') cleanups.push(dynamoStart.value.stop);
    if (s3Start.status === 'fulfilled') cleanups.push(s3Start.value.stop);
    if (dynamoStart.status === 'rejected') throw dynamoStart.reason;
    if (s3Start.status === 'rejected') throw s3Start.reason;
    const dynamo: DynamoDbLocal = dynamoStart.value;
    const s3: S3Local = s3Start.value;
    const watchdog = watchParts({ dynamo, s3, logger });
    const reportDeath = watchdog.report;
    await ensureTable(dynamo.client, tableName);
    const handlers = await (await handlerFactory)({
      s3: s3.client,
      dynamodb: dynamo.client,
      tableName,
      bucket,
      bodyBucket,
      cursorSecret,
      corsAllowOrigins: options.corsAllowOrigins ?? [],
    });

    const streamConsumers = handlers.stream
      ? await startStreamConsumers({
          dynamodb: dynamo.client,
          endpoint: dynamo.endpoint,
          tableName,
          handler: handlers.stream,
          checkpointFile: paths.streamCheckpoints,
          onInvocation: ({ records, error }) => {
            if (error) logger.error('stream', `${records} stream record(s) to retry`, error);
          },
        })
      : null;
    if (streamConsumers) cleanups.push(streamConsumers.stop);

    const queue = new LocalQueue({
      dataDir: paths.root,
      visibilityTimeoutMs: tuning.visibilityTimeoutMs,
      inFlightMs: tuning.functionTimeoutMs,
      maxReceiveCount: tuning.maxReceiveCount,
    });
    cleanups.push(async () => queue.flush());
    if (queue.size > 0)
      logger.info('queue', `${queue.size} event(s) left from the last run will be processed`);
    const reprocess = handlers.getOutcome
      ? makeReprocessRunner({
          s3: s3.client,
          bucket,
          send: (body) => queue.send(body),
          getOutcome: handlers.getOutcome,
        })
      : null;
    queue.on('dead-letter', (letter) => reprocess?.deadLettered(letter.body));
    queue.on('dead-letter', (letter) =>
      logger.warn(
        'dlq',
        `event parked after ${letter.receiveCount} tries (${letter.lastError}); \`npm run redrive\``,
      ),
    );

    const logOutcomes = (
      getOutcome: NonNullable<LocalHandlers['getOutcome']>,
      events: ReturnType<typeof eventsInMessages>,
    ) => {
      for (const event of events)
        getOutcome(event.key).then(
          (outcome) => logger.info('ingest', describeOutcome(event.key, outcome, event)),
          () => {},
        );
    };
    const poller = startPoller({
      queue,
      queueArn: localQueueArn(QUEUE_NAME),
      handler: handlers.ingest,
      functionName: 'ingest',
      ...tuning,
      onCrash: (error) => {
        logger.error('stack', 'the ingest handler loop (SQS poller) stopped', error);
        reportDeath('the ingest handler loop stopped');
      },
      onInvocation: ({ records, failed, error, ms, done }) => {
        const summary = `${records} record(s), ${records - failed} done${failed ? `, ${failed} to retry` : ''} (${ms} ms)`;
        if (failed > 0)
          // The handler's own lines carry the cause inside JSON; an unreachable table is the one to say plainly.
          tableHealth(dynamo.client, tableName).then((table) => {
            if (table.status === 'down')
              logger.error(
                'ingest',
                `${summary}: the table is unreachable (DynamoDB Local at ${dynamo.endpoint}: ${table.error})`,
              );
          });
        if (error) logger.error('ingest', `${summary}; the handler threw`, error);
        else if (failed) logger.warn('ingest', summary);
        else if (!handlers.getOutcome) logger.info('ingest', summary);
        if (handlers.getOutcome)
          logOutcomes(handlers.getOutcome, eventsInMessages(done.map((body) => ({ body }))));
        reprocess?.settled(done).catch((error: unknown) => logger.error('reprocess', 'tally failed', error));
      },
    });
    cleanups.push(poller.stop);

    const bridge = startBridge({
      bucket,
      server: s3.server,
      s3: s3.client,
      sequencer: makeSequencer(),
      send: (body) => queue.send(body),
      onPublish: (record) =>
        logger.info(
          's3',
          `${record.eventName} ${decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '))}`,
        ),
      onError: (error) => logger.error('bridge', 'could not forward an S3 event', error),
    });
    cleanups.push(bridge.stop);
    // Real S3 sends this once when a bucket's notifications are configured; the handler must ignore it.
    if (bucketIsNew) queue.send(JSON.stringify(buildS3TestEvent(bucket)));

    const api = await startHttpApiServer({
      host: '127.0.0.1',
      port: options.apiPort ?? 0,
      handler: handlers.api,
      route: localApiRouter(),
      // waitForIdle is declared below; the code up to it does not yield, so no request can reach it first.
      health: () => health(),
      admin: localAdminRoutes({
        queue,
        reprocess,
        verifier: handlers.verifier ?? null,
        waitForIdle: (timeoutMs) => waitForIdle(timeoutMs),
      }),
      onRequest: ({ method, path, status, ms }) =>
        logger.info('api', `${method} ${path} ${status} (${ms} ms)`),
      onError: (error) => logger.error('api', 'the API handler threw', error),
    });
    cleanups.push(api.stop);

    writeRunningStack(paths.root, { pid: process.pid, apiUrl: api.url, s3Endpoint: s3.endpoint, bucket });
    cleanups.push(async () => clearRunningStack(paths.root));

    const health = makeHealthCheck({
      dynamodb: dynamo.client,
      tableName,
      s3: s3.client,
      bucket,
      queueCrashed: poller.crashed,
      stream: streamConsumers?.health ?? null,
    });

    const { getOutcome } = handlers;
    const reconciled = getOutcome
      ? reconcileBucket({
          s3: s3.client,
          bucket,
          hasOutcome: async (key) => (await getOutcome(key)) !== null,
          pendingKeys: keysInMessages([...queue.messagesSnapshot(), ...queue.deadLetters()]),
          notifyCreated: (key) => bridge.notifyCreated(bucket, key),
        }).then(
          (keys) => {
            if (keys.length > 0)
              logger.warn('queue', `re-sent ${keys.length} upload(s) whose event was lost`);
          },
          (error: unknown) => logger.error('queue', 'start-up reconciliation failed', error),
        )
      : Promise.resolve();
    // Seeds go up after reconciliation has listed the bucket, so they are not counted as lost.
    const seeded = reconciled.then(() =>
      options.seedsDir ? uploadSeeds(s3.client, bucket, options.seedsDir) : [],
    );
    seeded.then(
      (keys) => keys.length > 0 && logger.info('seeds', `uploaded ${keys.length} seed file(s)`),
      (error: unknown) => logger.error('seeds', 'seed upload failed', error),
    );

    const isIdle = () => bridge.pending() === 0 && poller.isIdle();
    const waitForIdle = async (timeoutMs = 30_000) => {
      await seeded;
      const deadline = Date.now() + timeoutMs;
      let quietChecks = 0;
      // Two idle checks in a row: an upload's event is emitted before its response, but not atomically with it.
      while (quietChecks < 2) {
        if (Date.now() > deadline)
          throw new Error(`local stack still busy after ${timeoutMs} ms (queue ${queue.size})`);
        quietChecks = isIdle() ? quietChecks + 1 : 0;
        await new Promise((r) => setTimeout(r, 10));
      }
      // Quiet means the stream consumers have derived and counted everything written so far, too.
      await streamConsumers?.caughtUp(Math.max(1, deadline - Date.now()));
    };

    let stopping: Promise<void> | null = null;
    return {
      apiUrl: api.url,
      s3Endpoint: s3.endpoint,
      dynamoDbEndpoint: dynamo.endpoint,
      bucket,
      tableName,
      dataDir: paths.root,
      queue,
      seeded,
      died: watchdog.died,
      health,
      waitForIdle,
      stop: () => {
        watchdog.stop();
        stopping ??= seeded.catch(() => {}).then(stopAll);
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
