import {
  type CommandSpec,
  type OptionValues,
  PortSchema,
  parseCommand,
  UsageError,
  type ValueSpec,
} from './cli';

export const DEFAULT_PORTS = { api: 3000, s3: 4568, dynamodb: 8000 } as const;
export const DEFAULT_DATA_DIR = '.local-data';
export const DEFAULT_BUCKET = 'articles';
export const DEFAULT_TABLE = 'articles';

/** How every command that talks to the local stack finds it: --data-dir, then DATA_DIR, then the default. */
export const DATA_DIR_OPTION = {
  type: 'string',
  placeholder: '<path>',
  env: 'DATA_DIR',
  default: DEFAULT_DATA_DIR,
  help: 'the data folder the local stack was started with',
} as const satisfies ValueSpec;

const START_OPTIONS = {
  port: {
    type: 'string',
    placeholder: '<n>',
    env: 'PORT',
    default: String(DEFAULT_PORTS.api),
    schema: PortSchema,
    help: 'API port on 127.0.0.1',
  },
  's3-port': {
    type: 'string',
    placeholder: '<n>',
    env: 'S3_PORT',
    default: String(DEFAULT_PORTS.s3),
    schema: PortSchema,
    help: 'S3 (s3rver) port',
  },
  'dynamodb-port': {
    type: 'string',
    placeholder: '<n>',
    env: 'DYNAMODB_PORT',
    default: String(DEFAULT_PORTS.dynamodb),
    schema: PortSchema,
    help: 'DynamoDB Local port',
  },
  'data-dir': { ...DATA_DIR_OPTION, help: 'where data persists between runs' },
  'no-seeds': { type: 'boolean', env: 'NO_SEEDS', help: 'do not upload seeds/ on start' },
  fresh: {
    type: 'boolean',
    env: 'FRESH',
    help: 'start empty: delete the stored table, objects and queues first',
  },
} as const;

export const START_COMMAND: CommandSpec<typeof START_OPTIONS> = {
  name: 'npm start',
  description:
    'The whole pipeline on this machine: DynamoDB Local, an S3 server, the handlers and the API.\nEach option also reads the environment variable shown; the flag wins.',
  options: START_OPTIONS,
  examples: ['npm start -- --fresh', 'npm start -- --data-dir ./other-data --port 3100 --s3-port 4600'],
};

/** Misuse of `npm start`'s options (the shared UsageError, under the name its callers know). */
export const OptionsError = UsageError;

export interface CliOptions {
  port: number;
  s3Port: number;
  dynamoDbPort: number;
  dataDir: string;
  noSeeds: boolean;
  fresh: boolean;
  help: boolean;
}

export const toCliOptions = (values: OptionValues<typeof START_OPTIONS>): Omit<CliOptions, 'help'> => ({
  port: values.port,
  s3Port: values['s3-port'],
  dynamoDbPort: values['dynamodb-port'],
  dataDir: values['data-dir'],
  noSeeds: values['no-seeds'],
  fresh: values.fresh,
});

/** Flags win over environment variables, which win over the defaults (`help` true: nothing else was read). */
export const parseCliOptions = (argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions => {
  const parsed = parseCommand(START_COMMAND, argv, env) ?? parseCommand(START_COMMAND, [], {});
  if (!parsed) throw new Error('unreachable: no arguments never ask for help');
  return { ...toCliOptions(parsed.values), help: argv.includes('--help') || argv.includes('-h') };
};
