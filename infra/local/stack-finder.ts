import { resolve } from 'node:path';
import { dataPaths, findRunningStack, type RunningStack } from './data-dir';
import { DEFAULT_DATA_DIR } from './options';

/**
 * How a command finds the local stack: through the data folder it was started with (`--data-dir`, `DATA_DIR`,
 * then the default), whose running.json names the stack's process and endpoints. When it cannot reach the stack,
 * the message says which folder and endpoints it tried, and how to point it at the right one.
 */
export class StackUnreachableError extends Error {
  override readonly name = 'StackUnreachableError';
}

/** `--data-dir X` for a command line, or nothing for the default folder. */
export const dataDirArg = (dataDir: string): string =>
  resolve(dataDir) === resolve(DEFAULT_DATA_DIR) ? '' : ` --data-dir ${dataDir}`;

export const noStackMessage = (dataDir: string): string =>
  `No local stack is running on the data folder ${dataPaths(dataDir).root} (no live stack in its running.json). ` +
  `Start one with \`npm start${dataDirArg(dataDir) ? ` --${dataDirArg(dataDir)}` : ''}\`, or pass the --data-dir (or DATA_DIR) the running stack was started with.`;

export const unreachableMessage = (dataDir: string, running: RunningStack, cause: unknown): string =>
  `The local stack of the data folder ${dataPaths(dataDir).root} (pid ${running.pid}, API ${running.apiUrl}, S3 ${running.s3Endpoint}) did not answer: ${causeText(cause)}.`;

const causeText = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : null;
  return cause ? `${cause.message}` : error.message;
};

/** The running stack on that folder, or a StackUnreachableError saying where it looked. */
export const requireRunningStack = (dataDir: string): RunningStack => {
  const running = findRunningStack(dataDir);
  if (!running) throw new StackUnreachableError(noStackMessage(dataDir));
  return running;
};

/** A request to the running stack's API; a refused connection becomes a message naming folder and ports. */
export const callStack = async (
  dataDir: string,
  running: RunningStack,
  path: string,
  init?: RequestInit,
): Promise<Response> => {
  try {
    return await fetch(`${running.apiUrl}${path}`, init);
  } catch (error) {
    throw new StackUnreachableError(unreachableMessage(dataDir, running, error));
  }
};
