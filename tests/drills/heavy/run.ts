import { z } from 'zod';
import { NumberSchema, parseOrExit } from '../../../infra/local/cli';
import { HEAVY_DRILL_HELP, HEAVY_DRILLS } from './drills';

/**
 * `npm run drill`: the reliability drills at full size, on loopback only (DynamoDB Local, s3rver and the local
 * HTTP API bind 127.0.0.1). Bounded: the whole run stops itself after --minutes (default 30). Exit code 1 if any
 * drill found a problem. `--only faults,races` runs a subset; `--help` lists the sections.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
// Powertools warns on every invocation without metrics even when they are disabled: noise in a drill report.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('No application metrics')) return;
  warn(...args);
};

const { values } = parseOrExit({
  name: 'npm run drill',
  description:
    'The reliability drills at full size, on loopback only. The whole run stops itself after --minutes.\nExit code 1 if any drill found a problem.',
  options: {
    only: {
      type: 'string',
      placeholder: '<drills>',
      help: `comma-separated drills to run (all by default, in this order): ${Object.keys(HEAVY_DRILLS)
        .map((n) => `${n} (${HEAVY_DRILL_HELP[n] ?? ''})`)
        .join('; ')}`,
      schema: z.string().refine((v) => v.split(',').every((n) => n in HEAVY_DRILLS), {
        message: `expected some of ${Object.keys(HEAVY_DRILLS).join(', ')}, comma-separated`,
      }),
    },
    minutes: {
      type: 'string',
      placeholder: '<n>',
      default: '30',
      schema: NumberSchema,
      help: 'the time box for the whole run',
    },
  },
  examples: ['npm run drill -- --only delivery,fuzz --minutes 10'],
});
const names = values.only ? values.only.split(',') : Object.keys(HEAVY_DRILLS);
const limitMs = values.minutes * 60_000;
setTimeout(() => {
  console.error(`drill: stopped after ${values.minutes} minutes (the time box); treat as a failure`);
  process.exit(1);
}, limitMs).unref();

const started = Date.now();
const results: Array<{ name: string; ms: number; problems: string[] }> = [];
for (const name of names) {
  const drill = HEAVY_DRILLS[name];
  if (!drill) continue;
  const t = Date.now();
  console.log(`\n== ${name}`);
  let problems: string[];
  try {
    problems = await drill((line) => console.log(`  ${line}`));
  } catch (error) {
    problems = [
      `the drill itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    ];
  }
  results.push({ name, ms: Date.now() - t, problems });
  for (const p of problems.slice(0, 30)) console.log(`  PROBLEM ${p}`);
  if (problems.length > 30) console.log(`  ... and ${problems.length - 30} more`);
}
console.log(`\n== summary (${((Date.now() - started) / 1000).toFixed(0)} s)`);
for (const r of results)
  console.log(
    `  ${r.problems.length === 0 ? 'held ' : 'FAILED'} ${r.name.padEnd(10)} ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${r.problems.length} problem(s)`,
  );
process.exit(results.every((r) => r.problems.length === 0) ? 0 : 1);
