import { describe, expect, it } from 'vitest';
import { type CommandName, runCli } from './run-cli';

/**
 * Every command behaves like the tools people know: `--help` prints the usage with every option and an example
 * (exit 0); an unknown option, or a missing or bad value, is one line naming it and pointing to `--help` (exit 2).
 */
const OPTIONS: Record<CommandName, string[]> = {
  start: ['--port', '--s3-port', '--dynamodb-port', '--data-dir', '--no-seeds', '--fresh', '--help'],
  upload: [
    '--data-dir',
    '--prefix',
    '--no-wait',
    '--allow-rejected',
    '--timeout',
    '--concurrency',
    '--endpoint',
    '--bucket',
    '--help',
  ],
  normalise: ['--help'],
  redrive: ['--data-dir', '--help'],
  reprocess: ['--data-dir', '--prefix', '--stack', '--region', '--help'],
  replay: ['--data-dir', '--help'],
  verify: ['--repair', '--data-dir', '--stack', '--region', '--help'],
};

const COMMANDS = Object.keys(OPTIONS) as CommandName[];

describe.concurrent.each(COMMANDS)('npm run %s', (command) => {
  it('--help prints the usage with every option and an example, exit 0', async () => {
    const { code, stdout, stderr } = await runCli(command, ['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: npm (start|run \w+)/);
    for (const option of OPTIONS[command]) expect(stdout).toMatch(new RegExp(`${option}\\b`));
    expect(stdout).toMatch(/^Examples?:\n {2}npm /m);
  });

  it('an unknown option is one line naming it and pointing to --help, exit 2', async () => {
    const { code, stdout, stderr } = await runCli(command, ['--colour']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/unknown option --colour.*--help/)]);
  });
});

describe.concurrent('missing and bad values', () => {
  it.each([
    ['start', ['--port', 'abc'], /--port "abc": expected a port number/],
    ['start', ['--data-dir'], /--data-dir needs a value/],
    ['upload', ['some-folder', '--concurrency', '0'], /--concurrency "0": expected a whole number/],
    ['upload', [], /missing <files or folders>/],
    ['replay', ['a.json', 'b.json'], /expected <file>, got 2 arguments/],
    ['normalise', [], /missing <file>/],
    ['redrive', ['--fresh'], /unknown option --fresh/],
  ] as const)('npm run %s %j: one line, exit 2', async (command, args, message) => {
    const { code, stderr } = await runCli(command, args);
    expect(code).toBe(2);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toMatch(/\(see npm (start|run \w+) -- --help\)$/);
  });

  it('names the environment variable when its value is bad', async () => {
    const { code, stderr } = await runCli('start', [], { PORT: 'eighty' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^npm start: PORT "eighty": expected a port number/);
  });
});
