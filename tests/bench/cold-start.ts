import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { API_BUNDLE_ALIASES } from '../../infra/constructs/lookup-api';
import { ESM_REQUIRE_BANNER, resolveAliases } from '../../infra/constructs/pipeline-function';
import { benchCursorKeyFirstUse, type CursorKeyFigures } from './cursor-key-first-use';
import { median, percentile } from './stats';

/**
 * Cold start proxy: bundle each function the way the stack does (esbuild, minified, SDK bundled) and time a
 * fresh Node process importing the bundle against a fresh `node -e ''`, alternating the two so machine noise
 * hits both alike.
 */
export interface BundleFigures {
  name: string;
  bytes: number;
  importMedianMs: number;
  importP95Ms: number;
  emptyNodeMedianMs: number;
  ratio: number;
  /** The API only: what reading the cursor key costs, and that a request without a cursor does not read it. */
  cursorKey?: CursorKeyFigures;
}

const FUNCTIONS: readonly { name: string; entry: string; aliases?: Readonly<Record<string, string>> }[] = [
  { name: 'ingest', entry: 'functions/ingest/handler.ts' },
  { name: 'api', entry: 'functions/api/handler.ts', aliases: API_BUNDLE_ALIASES },
];

const ENV = {
  ...process.env,
  TABLE_NAME: 'bench-table',
  BODY_BUCKET: 'bench-bodies',
  CURSOR_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-cursor',
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
};

const timeNode = (args: string[]): number => {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0)
    throw new Error(`node ${args.join(' ')} failed: ${run.stderr.toString().slice(0, 500)}`);
  return ms;
};

export const bundleFunction = async (
  entry: string,
  outfile: string,
  aliases: Readonly<Record<string, string>> = {},
): Promise<number> => {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    // The stack's bundling settings (infra/constructs/pipeline-function.ts): ESM, the ES builds of the SDK
    // (so unused commands shake out) and the banner that gives CommonJS dependencies a require().
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    sourcemap: false,
    banner: { js: ESM_REQUIRE_BANNER },
    // The function's bundle aliases, as PipelineFunction passes them (absolute, from the repository root).
    alias: resolveAliases(aliases),
    logLevel: 'silent',
  });
  return statSync(outfile).size;
};

export const benchColdStart = async (runs = 15): Promise<BundleFigures[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'cold-start-'));
  try {
    const results: BundleFigures[] = [];
    for (const fn of FUNCTIONS) {
      const outfile = join(dir, `${fn.name}.mjs`);
      const bytes = await bundleFunction(fn.entry, outfile, fn.aliases);
      const loader = join(dir, `${fn.name}-load.mjs`);
      writeFileSync(
        loader,
        `const m = await import(${JSON.stringify(outfile)}); if (typeof m.handler !== 'function') process.exit(3);\n`,
      );
      const imports: number[] = [];
      const empties: number[] = [];
      timeNode(['-e', '']);
      for (let i = 0; i < runs; i++) {
        empties.push(timeNode(['-e', '']));
        imports.push(timeNode([loader]));
      }
      const importMedianMs = median(imports);
      const emptyNodeMedianMs = median(empties);
      results.push({
        name: fn.name,
        bytes,
        importMedianMs,
        importP95Ms: percentile(imports, 95),
        emptyNodeMedianMs,
        ratio: importMedianMs / emptyNodeMedianMs,
        ...(fn.name === 'api'
          ? { cursorKey: await benchCursorKeyFirstUse(outfile, join(dir, 'api-requests.mjs'), ENV, runs) }
          : {}),
      });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await benchColdStart());
}
