import { parseArgs } from 'node:util';
import { z } from 'zod';

/**
 * One way to build an `npm run` command: options declared once (with their environment variable, default and
 * a line of help), parsed with node:util's parseArgs. `--help` prints the usage and exits 0; an unknown option,
 * a missing or bad value, or a wrong number of arguments is one line naming it and pointing to `--help`, exit 2.
 * The command's own work returns its exit code; a thrown error is one line on stderr and exit 1.
 */

interface OptionBase {
  /** One line of help. */
  help: string;
  /** The environment variable read when the option is not given. */
  env?: string;
  short?: string;
}
export interface FlagSpec extends OptionBase {
  type: 'boolean';
}
export interface ValueSpec<T = string> extends OptionBase {
  type: 'string';
  /** How the value is written in the usage: `<n>`, `<path>`... */
  placeholder: string;
  default?: string;
  /** Checks and converts the text given (flag, variable or default); its message says what was expected. */
  schema?: z.ZodType<T, string>;
  /** Given more than once: every value, in order (no env or default). */
  multiple?: boolean;
}
export type OptionSpec = FlagSpec | ValueSpec<unknown>;

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** How it is run: `npm run upload`, `npm start`. */
  name: string;
  /** The arguments after the options, as the usage line shows them (`<files or folders>`); none when absent. */
  args?: { placeholder: string; min: number; max?: number };
  /** What it does, a few lines. */
  description: string;
  options: O;
  examples: readonly string[];
}

type ValueOf<S> = S extends FlagSpec
  ? boolean
  : S extends ValueSpec<infer T>
    ? S extends { multiple: true }
      ? string[]
      : S extends { schema: z.ZodType }
        ? S extends { default: string }
          ? T
          : T | undefined
        : S extends { default: string }
          ? string
          : string | undefined
    : never;
export type OptionValues<O extends Record<string, OptionSpec>> = { [K in keyof O]: ValueOf<O[K]> };

export interface Parsed<O extends Record<string, OptionSpec>> {
  values: OptionValues<O>;
  args: string[];
}

/** Misuse: the one line names the option or argument; the command adds the pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const flagText = (name: string) => `--${name}`;

/** A port number, 1 to 65535. */
export const PortSchema = z
  .string()
  .regex(/^\d+$/, 'expected a port number (1-65535)')
  .transform(Number)
  .pipe(
    z
      .number()
      .int()
      .min(1, 'expected a port number (1-65535)')
      .max(65535, 'expected a port number (1-65535)'),
  );

/** A whole number of at least 1. */
export const PositiveIntSchema = z
  .string()
  .regex(/^\d+$/, 'expected a whole number of at least 1')
  .transform(Number)
  .pipe(z.number().int().min(1, 'expected a whole number of at least 1'));

/** A non-negative number (seconds, minutes). */
export const NumberSchema = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'expected a number')
  .transform(Number);

/** `1`, `true`, `yes` (any case) set a flag from its environment variable; ``, `0`, `false`, `no` leave it unset. */
const envFlag = (text: string): boolean | null => {
  const v = text.trim().toLowerCase();
  if (['1', 'true', 'yes'].includes(v)) return true;
  if (['', '0', 'false', 'no'].includes(v)) return false;
  return null;
};

const optionLabel = (name: string, spec: OptionSpec) =>
  `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.placeholder}` : ''}`;

/** The text `--help` prints: usage line, description, every option with its variable and default, examples. */
export const usageText = <O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): string => {
  const entries: [string, OptionSpec][] = [
    ...Object.entries(spec.options),
    ['help', { type: 'boolean', short: 'h', help: 'show this help' }],
  ];
  const labels = entries.map(([name, option]) => optionLabel(name, option));
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  const lines = entries.map(([, option], i) => {
    const extra = [
      option.env ? option.env : null,
      option.type === 'string' && option.default ? `default ${option.default}` : null,
    ].filter((x) => x !== null);
    return `  ${(labels[i] ?? '').padEnd(width)}${option.help}${extra.length ? ` (${extra.join(', ')})` : ''}`;
  });
  return [
    `Usage: ${spec.name} -- ${spec.args ? `${spec.args.placeholder} ` : ''}[options]`,
    ...spec.description.split('\n').map((l) => `  ${l}`),
    'Options:',
    ...lines,
    spec.examples.length > 1 ? 'Examples:' : 'Example:',
    ...spec.examples.map((e) => `  ${e}`),
  ].join('\n');
};

/**
 * Parses argv against the spec. Flags win over environment variables, which win over the defaults. Throws
 * UsageError (one line) on misuse; returns null when `--help` was asked for.
 */
export const parseCommand = <O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Parsed<O> | null => {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, option] of Object.entries(spec.options))
    config[name] = {
      type: option.type,
      ...(option.short ? { short: option.short } : {}),
      ...(option.type === 'string' && option.multiple ? { multiple: true } : {}),
    };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error));
  }
  if (parsed.values.help === true) return null;
  const values: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const given = parsed.values[name];
    if (option.type === 'boolean') {
      if (given === true) values[name] = true;
      else if (option.env && env[option.env] !== undefined) {
        const fromEnv = envFlag(env[option.env] ?? '');
        if (fromEnv === null)
          throw new UsageError(`${option.env}=${env[option.env]}: expected 1, true, 0 or false`);
        values[name] = fromEnv;
      } else values[name] = false;
      continue;
    }
    if (option.multiple) {
      values[name] = Array.isArray(given) ? given.map(String) : [];
      continue;
    }
    const text = typeof given === 'string' ? given : option.env ? env[option.env] : undefined;
    const source = typeof given === 'string' ? flagText(name) : `${option.env}`;
    const raw = text === undefined || (text === '' && typeof given !== 'string') ? option.default : text;
    if (raw === undefined) {
      values[name] = undefined;
      continue;
    }
    if (!option.schema) {
      values[name] = raw;
      continue;
    }
    const checked = option.schema.safeParse(raw);
    if (!checked.success) {
      const label = raw === text ? source : `${flagText(name)} default`;
      throw new UsageError(
        `${label} ${JSON.stringify(raw)}: ${checked.error.issues[0]?.message ?? 'bad value'}`,
      );
    }
    values[name] = checked.data;
  }
  const args = parsed.positionals;
  if (spec.args) {
    if (args.length < spec.args.min) throw new UsageError(`missing ${spec.args.placeholder}`);
    if (spec.args.max !== undefined && args.length > spec.args.max)
      throw new UsageError(
        `expected ${spec.args.placeholder}, got ${args.length} arguments: ${args.join(' ')}`,
      );
  } else if (args.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args[0])}`);
  return { values: values as OptionValues<O>, args };
};

/** parseArgs's messages are long and name `--help` usage of their own; keep the part that names the option. */
const parseArgsMessage = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  const code = z.object({ code: z.string() }).safeParse(error).data?.code;
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option)
    return message.includes('does not take an argument')
      ? `${option} takes no value`
      : `${option} needs a value`;
  return message.split('\n')[0] ?? message;
};

/** Exits once what was written to stdout and stderr is out (pipes are asynchronous on some systems). */
const exitAfterOutput = (code: number): void => {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
};

/**
 * Parses a command's arguments, or ends the process: `--help` prints the usage (exit 0), misuse prints one line
 * naming the option and pointing to `--help` (exit 2). For scripts that run their work at the top level.
 */
export const parseOrExit = <O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
): Parsed<O> => {
  let parsed: Parsed<O> | null;
  try {
    parsed = parseCommand(spec, argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${spec.name}: ${error.message} (see ${spec.name} -- --help)`);
    process.exit(2);
  }
  if (parsed === null) {
    console.log(usageText(spec));
    process.exit(0);
  }
  return parsed;
};

/**
 * Runs a command: parses (help → exit 0, misuse → exit 2), then `main`, whose number is the exit code. Any error
 * `main` throws is printed as one line (its message), exit 1: the command's own messages say what to do.
 */
export const runCommand = <O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  main: (parsed: Parsed<O>) => Promise<number> | number,
  argv: readonly string[] = process.argv.slice(2),
): void => {
  const parsed = parseOrExit(spec, argv);
  Promise.resolve()
    .then(() => main(parsed))
    .then(exitAfterOutput, (error: unknown) => {
      if (error instanceof UsageError)
        console.error(`${spec.name}: ${error.message} (see ${spec.name} -- --help)`);
      else console.error(error instanceof Error ? error.message : String(error));
      exitAfterOutput(error instanceof UsageError ? 2 : 1);
    });
};
