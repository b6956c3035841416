import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/free-port';

const REPO = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'shutdown-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Pids of DynamoDB Local processes listening on this port (read from /proc, Linux). */
const javaOnPort = (port: number): number[] =>
  readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const at = args.indexOf('-port');
      return args.some((a) => a.includes('DynamoDBLocal')) && args[at + 1] === String(port)
        ? [Number(entry)]
        : [];
    } catch {
      return [];
    }
  });

const startStack = async (name: string) => {
  const [port, s3Port, dynamoDbPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--import', 'tsx', 'infra/local/main.ts', '--no-seeds']
      .concat(['--data-dir', join(scratch, name), '--port', String(port)])
      .concat(['--s3-port', String(s3Port), '--dynamodb-port', String(dynamoDbPort)]),
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const deadline = Date.now() + 90_000;
  while (!/ready in/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`the stack did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, dynamoDbPort, output: () => output };
};

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((done) => {
    if (child.exitCode !== null) done(child.exitCode);
    else child.once('exit', (code) => done(code));
  });

describe('npm start shutdown', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s stops everything and leaves no Java process',
    async (signal) => {
      const stack = await startStack(signal);
      expect(javaOnPort(stack.dynamoDbPort)).toHaveLength(1);
      stack.child.kill(signal);
      expect(await exitOf(stack.child)).toBe(0);
      expect(stack.output()).toContain(`${signal}: shutting down`);
      expect(javaOnPort(stack.dynamoDbPort)).toEqual([]);
    },
  );
});
