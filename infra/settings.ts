import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import * as z from 'zod';

/**
 * Deploy-time switches, read once from CDK context (`-c key=value` or cdk.json) and validated, so a typo such
 * as `-c publicApi=ture` fails the synth instead of silently deploying the secure default's opposite.
 */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false'])], { error: 'expected true or false' })
  .transform((v) => v === true || v === 'true')
  .default(false);

const positiveInt = (fallback: number) =>
  z
    .union([z.number(), z.string().regex(/^\d+$/, { error: 'expected a whole number' })])
    .transform(Number)
    .pipe(z.number().int().positive({ error: 'expected a positive whole number' }))
    .default(fallback);

/**
 * EventBridge Scheduler's three forms: rate(value unit) (singular unit for 1), cron(6 fields, one of day-of-month and
 * day-of-week `?`), at(yyyy-mm-ddThh:mm:ss). Checked here so a typo fails the synth, not the deploy.
 */
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(([^()]+)\)$/;
const AT = /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/;
const CRON_FIELD = /^[0-9A-Za-z,\-*/?LW#]+$/;
export const scheduleProblem = (expression: string): string | null => {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const plural = rate[2]?.endsWith('s') ?? false;
    if (value < 1) return 'a rate must be at least 1';
    if ((value === 1) === plural)
      return `write rate(1 ${rate[2]?.replace(/s$/, '')}) or rate(${value} ${rate[2]?.replace(/s?$/, 's')})`;
    return null;
  }
  const cron = CRON.exec(expression);
  if (cron) {
    const fields = (cron[1] ?? '').trim().split(/\s+/);
    if (fields.length !== 6)
      return `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), not ${fields.length}`;
    if (!fields.every((f) => CRON_FIELD.test(f))) return 'a cron field holds a character cron does not allow';
    if ((fields[2] === '?') === (fields[4] === '?'))
      return 'exactly one of day-of-month and day-of-week must be ?';
    return null;
  }
  if (AT.test(expression)) return null;
  return 'not an EventBridge Scheduler expression: expected rate(1 day), cron(0 3 * * ? *) or at(2027-01-01T03:00:00)';
};

const RETENTION_VALUES = new Set<number>(Object.values(RetentionDays).filter((v) => typeof v === 'number'));

const SettingsSchema = z.object({
  /** Throwaway dev stack: bucket (emptied first), table and log groups are deleted with the stack. */
  destroyable: flag,
  /** Open the HTTP API without IAM (SigV4) authorisation. Throttling stays on. */
  publicApi: flag,
  /** Comma-separated browser origins allowed by CORS; empty means no CORS. */
  corsAllowOrigins: z.string().trim().default(''),
  /** Retention of every log group the stack creates, in days (must be a CloudWatch-supported value). */
  logRetentionDays: positiveInt(30).refine((d) => RETENTION_VALUES.has(d), {
    message: 'not a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)',
  }),
  /** Steady-state requests per second the API stage accepts before answering 429. */
  apiRateLimit: positiveInt(50),
  /** Burst of requests the API stage accepts above the steady rate. */
  apiBurstLimit: positiveInt(100),
  /**
   * Concurrent ingest invocations (the SQS mapping's maximum concurrency, 2 to 1,000). The default 5 takes about
   * 70 articles/s; a bulk load raises it (README, "Bulk load").
   */
  ingestMaxConcurrency: positiveInt(5).refine((n) => n >= 2 && n <= 1_000, {
    message: 'must be between 2 and 1000 (the SQS event source mapping limits)',
  }),
  /**
   * Records per ingest invocation (1 to 100): a record takes up to a few seconds of the 60 s timeout, and a bigger
   * batch only amortises the cold start.
   */
  ingestBatchSize: positiveInt(10).refine((n) => n <= 100, {
    message: 'must be between 1 and 100 (a batch must fit the 60 s function timeout)',
  }),
  /**
   * Write units per second the table takes from the start (CloudFormation WarmThroughput), for a planned bulk
   * load: at least 4,000 (what a new on-demand table has anyway). None by default.
   */
  tableWarmWriteUnits: z
    .union([z.number(), z.string().regex(/^\d+$/, { error: 'expected a whole number' })])
    .transform(Number)
    .pipe(z.number().int().min(4_000, { error: 'must be at least 4000 write units per second' }))
    .optional(),
  /**
   * Concurrent executions reserved for the API function, which also cap it: at the default stage limits (50/s,
   * bursts of 100) and tens of milliseconds a request, 20 leaves headroom, while a slow table cannot let the API
   * take the account concurrency the ingest needs. Lambda keeps 100 unreserved, so the account's limit must be at
   * least this plus 100 (new accounts may start lower: ask for a quota increase or lower this).
   */
  apiReservedConcurrency: positiveInt(20),
  /** Days an overwritten or deleted upload stays recoverable as a noncurrent version (S3 versioning). */
  noncurrentVersionDays: positiveInt(30),
  /**
   * Also e-mail alarms and recoveries here (SNS asks the address to confirm). The alarm topic exists either way
   * (stack output AlarmTopicArn); subscribe anything else to it.
   */
  alarmEmail: z.email().optional(),
  /**
   * Runs the verify state machine on this EventBridge Scheduler expression (e.g. `rate(1 day)`); none by default
   * (`npm run verify -- --stack NAME` starts it on demand either way).
   */
  verifySchedule: z
    .string()
    .trim()
    .check((ctx) => {
      const problem = scheduleProblem(ctx.value);
      if (problem)
        ctx.issues.push({ code: 'custom', message: `${problem} (got "${ctx.value}")`, input: ctx.value });
    })
    .optional(),
  /** Whether a scheduled verify mends what it finds (on by default). */
  verifyRepair: z
    .union([z.boolean(), z.enum(['true', 'false'])], { error: 'expected true or false' })
    .transform((v) => v === true || v === 'true')
    .default(true),
  /** Percent of the table's read capacity a verify may use (1 to 50). */
  verifyReadSharePercent: positiveInt(10).refine((n) => n <= 50, { message: 'must be between 1 and 50' }),
});

export type StackSettings = z.infer<typeof SettingsSchema>;

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

const KEYS = Object.keys(SettingsSchema.shape) as (keyof StackSettings)[];

/** Reads the settings from the construct tree's context; throws SettingsError naming each bad key. */
export const readStackSettings = (node: Node): StackSettings => {
  const raw = Object.fromEntries(
    KEYS.map((k) => [k, node.tryGetContext(k)]).filter(([, v]) => v !== undefined),
  );
  const result = SettingsSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SettingsError(`Invalid CDK context: ${problems}`);
  }
  return result.data;
};

/** Splits the CORS context value into origins, dropping blanks. */
export const corsOrigins = (settings: StackSettings): string[] =>
  settings.corsAllowOrigins
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
