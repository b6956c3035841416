import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseOrigins } from '../../functions/api/http';
import { articleIdForKey } from '../../functions/core/article';
import { banner } from './banner';
import { runCommand } from './cli';
import { DataDirInUseError } from './data-dir';
import { JavaMissingError, OldTableLayoutError } from './dynamodb-local';
import { collectFiles } from './files';
import { errorText, terminalLogger } from './local-logger';
import { START_COMMAND, toCliOptions } from './options';
import { type LocalStack, startLocalStack } from './stack';

/** `npm start`: the whole pipeline on this machine. See START_COMMAND for the options. */
const AddressInUseSchema = z.object({ code: z.literal('EADDRINUSE') });
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const seedsDir = resolve(repoRoot, 'seeds');

const fail = (message: string): number => {
  console.error(message);
  return 1;
};

/** How long the banner waits for the seeds before saying they are still being ingested. */
const SEEDS_WAIT_MS = 20_000;

runCommand(START_COMMAND, async ({ values }) => {
  const options = toCliOptions(values);
  const logger = terminalLogger();
  const started = Date.now();
  logger.info('start', `starting DynamoDB Local, s3rver and the handlers (data in ${options.dataDir})`);
  let stack: LocalStack | null = null;
  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    // During start-up, or on a second Ctrl-C, exit at once: the exit hook in dynamodb-local.ts kills Java.
    if (signals > 1 || !stack) process.exit(130);
    logger.info('stop', `${signal}: shutting down`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop', 'shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // `npm start` runs us under `sh -c`, which does not pass on a SIGTERM sent to npm: notice being orphaned
  // instead, so a process manager stopping npm still stops Java.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown('parent exited');
  }, 500).unref();
  try {
    stack = await startLocalStack({
      dataDir: options.dataDir,
      apiPort: options.port,
      s3Port: options.s3Port,
      dynamoDbPort: options.dynamoDbPort,
      seedsDir: options.noSeeds || !existsSync(seedsDir) ? null : seedsDir,
      fresh: options.fresh,
      // The same variable the deployed API function reads; unset means no CORS headers.
      corsAllowOrigins: parseOrigins(process.env.CORS_ALLOW_ORIGINS ?? ''),
      logger,
    });
  } catch (error) {
    if (
      error instanceof JavaMissingError ||
      error instanceof DataDirInUseError ||
      error instanceof OldTableLayoutError
    )
      return fail(error.message);
    if (AddressInUseSchema.safeParse(error).success)
      return fail(
        `A port is already in use (${errorText(error)}); choose others with --port, --s3-port, --dynamodb-port.`,
      );
    throw error;
  }

  const running = stack;
  // A part that died for good: say so (the stack logged what died), stop the rest, exit non-zero.
  running.died.then((why) => {
    logger.error('stack', `${why}: stopping everything`);
    running.stop().finally(() => process.exit(1));
  });
  const seedKey = options.noSeeds || !existsSync(seedsDir) ? undefined : collectFiles([seedsDir])[0]?.key;
  const seeds = !seedKey
    ? 'none'
    : await running.waitForIdle(SEEDS_WAIT_MS).then(
        () => 'ingested' as const,
        () => 'pending' as const,
      );
  console.log(banner(stack, seedKey ? articleIdForKey(seedKey) : null, seeds));
  logger.info('start', `ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // Keep running: the servers and timers hold the process; the signal handlers end it.
  return new Promise<number>(() => {});
});
