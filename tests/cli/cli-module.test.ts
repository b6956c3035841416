import { describe, expect, it } from 'vitest';
import { type CommandSpec, PortSchema, parseCommand, UsageError, usageText } from '../../infra/local/cli';
import { summaryLines } from '../../infra/local/upload-outcomes';

/** The shared command module: one precedence (flag, variable, default) and one way to say what was wrong. */
const options = {
  port: {
    type: 'string',
    placeholder: '<n>',
    env: 'PORT',
    default: '3000',
    schema: PortSchema,
    help: 'a port',
  },
  name: { type: 'string', placeholder: '<s>', help: 'a name' },
  fresh: { type: 'boolean', env: 'FRESH', help: 'start empty' },
} as const;
const spec: CommandSpec<typeof options> = {
  name: 'npm run thing',
  args: { placeholder: '<file>', min: 0, max: 1 },
  description: 'Does a thing.',
  options,
  examples: ['npm run thing -- a.txt'],
};

describe('parseCommand', () => {
  it('takes the flag over the variable over the default, and converts values', () => {
    expect(parseCommand(spec, [], {})?.values).toEqual({ port: 3000, name: undefined, fresh: false });
    expect(parseCommand(spec, [], { PORT: '4000', FRESH: 'yes' })?.values).toMatchObject({
      port: 4000,
      fresh: true,
    });
    expect(parseCommand(spec, ['--port', '5000'], { PORT: '4000', FRESH: '0' })?.values).toMatchObject({
      port: 5000,
      fresh: false,
    });
  });

  it('returns null for --help and -h, before checking anything else', () => {
    expect(parseCommand(spec, ['--help', '--port', 'x'], {})).toBeNull();
    expect(parseCommand(spec, ['-h'], {})).toBeNull();
  });

  it('names the option, variable or argument that is wrong', () => {
    const error = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      try {
        parseCommand(spec, argv, env);
      } catch (caught) {
        expect(caught).toBeInstanceOf(UsageError);
        return (caught as Error).message;
      }
      return null;
    };
    expect(error(['--nope'])).toBe('unknown option --nope');
    expect(error(['--name'])).toBe('--name needs a value');
    expect(error(['--fresh=1'])).toBe('--fresh takes no value');
    expect(error(['--port', '0'])).toBe('--port "0": expected a port number (1-65535)');
    expect(error([], { PORT: 'x' })).toBe('PORT "x": expected a port number (1-65535)');
    expect(error([], { FRESH: 'maybe' })).toBe('FRESH=maybe: expected 1, true, 0 or false');
    expect(error(['a', 'b'])).toBe('expected <file>, got 2 arguments: a b');
  });
});

describe('usageText', () => {
  it('lists every option with its variable and default, --help, and the example', () => {
    const text = usageText(spec);
    expect(text.split('\n')[0]).toBe('Usage: npm run thing -- <file> [options]');
    expect(text).toMatch(/--port <n> +a port \(PORT, default 3000\)/);
    expect(text).toMatch(/--name <s> +a name$/m);
    expect(text).toMatch(/--fresh +start empty \(FRESH\)/);
    expect(text).toMatch(/-h, --help +show this help/);
    expect(text).toMatch(/^Example:\n {2}npm run thing -- a\.txt$/m);
  });
});

describe("upload's summary", () => {
  it('says what happened to every input: rejected by reason with a few keys, skipped with why', () => {
    const rejected = (key: string, reason: string) => ({ key, status: 'rejected' as const, reason, at: '' });
    const lines = summaryLines({
      ingested: ['a.txt'],
      rejected: ['1', '2', '3', '4'].map((n) => rejected(`${n}.json`, 'unsupported-format')),
      other: [],
      skipped: [{ path: '/x/.DS_Store', why: 'hidden file' }],
      failed: [],
      uploaded: 5,
      waited: true,
    });
    expect(lines).toEqual([
      '  ingested 1',
      '  rejected 4',
      '    unsupported-format (4): 1.json, 2.json, 3.json, and 1 more',
      '  skipped 1',
      '    hidden file (1): /x/.DS_Store',
      '  failed 0',
    ]);
  });
});
