import { describe, expect, it } from 'vitest';
import type { ProcessExit } from '../../infra/local/dynamodb-local';
import type { LocalLogger } from '../../infra/local/local-logger';
import { exitText, MAX_DYNAMODB_RESTARTS, watchParts } from '../../infra/local/watchdog';

/** A dying part is one plain line naming it; DynamoDB Local comes back a few times, then the stack gives up. */
const fakes = () => {
  const lines: string[] = [];
  const logger: LocalLogger = {
    info: (area, message) => lines.push(`${area} ${message}`),
    warn: (area, message) => lines.push(`${area} ${message}`),
    error: (area, message) => lines.push(`${area} ${message}`),
  };
  let exitListener: (exit: ProcessExit) => void = () => {};
  let closeListener: () => void = () => {};
  let restarts = 0;
  const dynamo = {
    endpoint: 'http://127.0.0.1:8000',
    pid: () => 42,
    onUnexpectedExit: (l: (exit: ProcessExit) => void) => {
      exitListener = l;
    },
    restart: async () => {
      restarts += 1;
    },
  };
  const s3 = {
    port: 4568,
    onUnexpectedClose: (l: () => void) => {
      closeListener = l;
    },
  };
  return {
    watchdog: watchParts({ dynamo, s3, logger }),
    lines,
    exit: (exit: ProcessExit) => exitListener(exit),
    close: () => closeListener(),
    restarts: () => restarts,
  };
};
const killed: ProcessExit = { pid: 7, code: null, signal: 'SIGKILL', lastLines: ['Port:\t8000', 'ready'] };

describe('the local stack watchdog', () => {
  it('says how a process ended: its exit code (128 + signal when killed) and its last lines', () => {
    expect(exitText(killed)).toBe('killed by SIGKILL (exit code 137); last output: Port: 8000 | ready');
    expect(exitText({ pid: 7, code: 1, signal: null, lastLines: [] })).toBe(
      'exit code 1; last output: (none)',
    );
  });

  it('logs a DynamoDB Local death in one line and restarts it, up to the limit, then reports it died', async () => {
    const { watchdog, lines, exit, restarts } = fakes();
    for (let i = 0; i <= MAX_DYNAMODB_RESTARTS; i += 1) exit(killed);
    expect(lines[0]).toBe(
      'stack DynamoDB Local (java, pid 7) died: killed by SIGKILL (exit code 137); last output: Port: 8000 | ready',
    );
    expect(lines).toContain(
      `stack restarting DynamoDB Local on http://127.0.0.1:8000 (1 of ${MAX_DYNAMODB_RESTARTS})`,
    );
    expect(restarts()).toBe(MAX_DYNAMODB_RESTARTS);
    expect(await watchdog.died).toBe(`DynamoDB Local died ${MAX_DYNAMODB_RESTARTS + 1} times; giving up`);
  });

  it('reports the S3 server closing, and nothing once stopped', async () => {
    const open = fakes();
    open.close();
    expect(open.lines).toEqual([
      'stack the S3 server (s3rver, in this process, port 4568) closed unexpectedly',
    ]);
    expect(await open.watchdog.died).toBe('the S3 server closed');

    const stopped = fakes();
    stopped.watchdog.stop();
    stopped.watchdog.report('the ingest handler loop stopped');
    const outcome = await Promise.race([
      stopped.watchdog.died,
      new Promise((r) => setTimeout(() => r('quiet'), 50)),
    ]);
    expect(outcome).toBe('quiet');
  });
});
