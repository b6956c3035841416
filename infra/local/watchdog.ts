import { constants } from 'node:os';
import type { DynamoDbLocal, ProcessExit } from './dynamodb-local';
import { errorText, type LocalLogger } from './local-logger';
import type { S3Local } from './s3-local';

/** DynamoDB Local restarts allowed after unexpected exits before the stack gives up. */
export const MAX_DYNAMODB_RESTARTS = 3;

/** "killed by SIGKILL (exit code 137); last output: a | b": how a process ended, on one line. */
export const exitText = (exit: ProcessExit): string => {
  const signal = exit.signal ? constants.signals[exit.signal] : undefined;
  const how =
    exit.code !== null
      ? `exit code ${exit.code}`
      : `killed by ${exit.signal ?? 'a signal'}${signal ? ` (exit code ${128 + signal})` : ''}`;
  const last = exit.lastLines.map((l) => l.replace(/\s+/g, ' ').trim()).join(' | ');
  return `${how}; last output: ${last || '(none)'}`;
};

/**
 * Watches the local stack's parts: each death is one plain log line naming the part, its exit and its last words.
 * DynamoDB Local is started again (it says so); a part that cannot come back resolves `died` with why, and the
 * stack's runner stops everything. Nothing is reported once stop() was called.
 */
export const watchParts = (deps: {
  dynamo: Pick<DynamoDbLocal, 'endpoint' | 'pid' | 'onUnexpectedExit' | 'restart'>;
  s3: Pick<S3Local, 'port' | 'onUnexpectedClose'>;
  logger: LocalLogger;
}) => {
  const { dynamo, s3, logger } = deps;
  let stopped = false;
  let report: (line: string) => void = () => {};
  const died = new Promise<string>((resolve) => {
    report = (line) => {
      if (!stopped) resolve(line);
    };
  });
  let restarts = 0;
  dynamo.onUnexpectedExit((exit) => {
    logger.error('stack', `DynamoDB Local (java, pid ${exit.pid}) died: ${exitText(exit)}`);
    if (restarts >= MAX_DYNAMODB_RESTARTS)
      return report(`DynamoDB Local died ${restarts + 1} times; giving up`);
    restarts += 1;
    logger.warn(
      'stack',
      `restarting DynamoDB Local on ${dynamo.endpoint} (${restarts} of ${MAX_DYNAMODB_RESTARTS})`,
    );
    dynamo.restart().then(
      () => logger.info('stack', `DynamoDB Local is back (pid ${dynamo.pid()})`),
      (error: unknown) => report(`DynamoDB Local could not be restarted: ${errorText(error)}`),
    );
  });
  s3.onUnexpectedClose(() => {
    logger.error('stack', `the S3 server (s3rver, in this process, port ${s3.port}) closed unexpectedly`);
    report('the S3 server closed');
  });
  return {
    died,
    /** A part that cannot come back (the ingest's handler loop): `died` resolves with this line. */
    report: (line: string) => report(line),
    stop: () => {
      stopped = true;
    },
  };
};
