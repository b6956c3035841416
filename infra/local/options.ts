import { parseArgs } from 'node:util';
import { z } from 'zod';

export const DEFAULT_PORTS = { api: 3000, s3: 4568, dynamodb: 8000 } as const;
export const DEFAULT_DATA_DIR = '.local-data';
export const DEFAULT_BUCKET = 'articles';
export const DEFAULT_TABLE = 'articles';

export const USAGE = `Usage: npm start -- [options]   (each option also reads the environment variable shown)
  --port <n>            API port on 127.0.0.1 (PORT, default ${DEFAULT_PORTS.api})
  --s3-port <n>         S3 (s3rver) port (S3_PORT, default ${DEFAULT_PORTS.s3})
  --dynamodb-port <n>   DynamoDB Local port (DYNAMODB_PORT, default ${DEFAULT_PORTS.dynamodb})
  --data-dir <path>     where data persists between runs (DATA_DIR, default ${DEFAULT_DATA_DIR})
  --no-seeds            do not upload seeds/ on start (NO_SEEDS=1)
  --fresh               start empty: delete the stored table, objects and queues first (FRESH=1)
  --help                show this help`;

export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

const port = z.coerce.number().int().min(1).max(65535);
const flag = z
  .union([z.boolean(), z.string()])
  .transform((v) => (typeof v === 'boolean' ? v : !['', '0', 'false', 'no'].includes(v.toLowerCase())));

const CliSchema = z.object({
  port,
  s3Port: port,
  dynamoDbPort: port,
  dataDir: z.string().min(1),
  noSeeds: flag,
  fresh: flag,
  help: z.boolean(),
});
export type CliOptions = z.infer<typeof CliSchema>;

/** Flags win over environment variables, which win over the defaults. */
export const parseCliOptions = (argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions => {
  let values: ReturnType<typeof parseArgs>['values'];
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        port: { type: 'string' },
        's3-port': { type: 'string' },
        'dynamodb-port': { type: 'string' },
        'data-dir': { type: 'string' },
        'no-seeds': { type: 'boolean' },
        fresh: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new OptionsError(error instanceof Error ? error.message : String(error));
  }
  const parsed = CliSchema.safeParse({
    port: values.port ?? env.PORT ?? DEFAULT_PORTS.api,
    s3Port: values['s3-port'] ?? env.S3_PORT ?? DEFAULT_PORTS.s3,
    dynamoDbPort: values['dynamodb-port'] ?? env.DYNAMODB_PORT ?? DEFAULT_PORTS.dynamodb,
    dataDir: values['data-dir'] ?? env.DATA_DIR ?? DEFAULT_DATA_DIR,
    noSeeds: values['no-seeds'] ?? env.NO_SEEDS ?? false,
    fresh: values.fresh ?? env.FRESH ?? false,
    help: values.help ?? false,
  });
  if (!parsed.success)
    throw new OptionsError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
};
