import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** Each `npm run` command's entry, run as the scripts in package.json run it. */
export const ENTRIES = {
  start: 'infra/local/main.ts',
  upload: 'infra/local/upload.ts',
  normalise: 'infra/local/normalise.ts',
  redrive: 'infra/local/redrive.ts',
  reprocess: 'infra/local/reprocess.ts',
  replay: 'infra/local/replay.ts',
  verify: 'infra/local/verify.ts',
} as const;
export type CommandName = keyof typeof ENTRIES;

const nodeArgs = (command: CommandName, args: readonly string[]) => [
  '--openssl-legacy-provider',
  '--import',
  'tsx',
  join(REPO_ROOT, ENTRIES[command]),
  ...args,
];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, as a person would from the repository root: its output and exit code. */
export const runCli = (
  command: CommandName,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  cwd = REPO_ROOT,
): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs(command, args), {
      cwd,
      env: { ...process.env, DATA_DIR: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

/** `npm start` as a child process: its output so far, waiting for a line, and the processes it started. */
export const startStack = (args: readonly string[]) => {
  const child: ChildProcess = spawn(process.execPath, nodeArgs('start', args), {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters])
      if (waiter.pattern.test(output)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    /** Resolves when the output matches, rejects if the process ends or the time runs out first. */
    waitFor: (pattern: RegExp, timeoutMs: number) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(output)) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`npm start exited (${code}) before ${pattern}; output:\n${output}`));
        });
      }),
    /** The DynamoDB Local (Java) process the stack started: its direct child running the jar. */
    javaPid: (): number => {
      const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(child.pid)], {
        encoding: 'utf8',
      });
      const java = lines.split('\n').find((l) => /java .*DynamoDBLocal/.test(l));
      const pid = Number(java?.trim().split(/\s+/)[0]);
      if (!pid) throw new Error(`no DynamoDB Local child of ${child.pid}:\n${lines}`);
      return pid;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
};
export type StartedStack = ReturnType<typeof startStack>;
