/**
 * Article-core bench: speed over the BBC corpus (plus the seed) against compromise alone on the same texts,
 * module load time, peak RSS, and entity quality on the annotated fixtures.
 * Standalone: `npx tsx tests/bench/core.ts [corpusDir]`; the global `npm run bench` calls benchCore().
 * Fairness on a shared, noisy machine: both sides are warmed up, then every article is timed by both sides back
 * to back, alternating which goes first, so a noisy second hits both alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import nlp from 'compromise';
import { normaliseArticle } from '../../functions/core';
import { entityQuality, type QualityReport } from '../core/entity-quality';
import { listTexts } from './corpus-files';
import { median, percentile, round } from './stats';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const CORE_ENTRY = join(REPO_ROOT, 'functions', 'core', 'index.ts');

export type CoreBenchResult = {
  articles: number;
  corpusDir: string | null;
  ours: { medianMs: number; p95Ms: number; meanMs: number; articlesPerSecond: number };
  compromise: { medianMs: number; p95Ms: number; meanMs: number; articlesPerSecond: number };
  /** Total time ours / total time compromise, same articles, same run. Target <= 1.0. */
  ratio: number;
  moduleLoad: {
    /** Fresh `node --import tsx` child importing functions/core/index.ts, minus the same child with nothing to import. */
    tsxMs: number;
    /** Import time of an esbuild bundle of the core (what a Lambda loads), measured inside a fresh child. */
    bundleMs: number;
    /** For scale: importing compromise the same way. */
    compromiseTsxMs: number;
    /** Of the tsx figure, what zod alone costs (the article contract imports it). */
    zodTsxMs: number;
    targetMs: number;
  };
  peakRssMb: { oursOnlyChild: number; benchProcess: number };
  /** The seed and the annotated fixtures the rules were developed on. */
  quality: QualityReport;
  /** Fixtures written after the rules were frozen (see the README for their first, untouched score). */
  qualityHeldOut: QualityReport;
};

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

const compromiseAlone = (text: string): number => {
  const doc = nlp(text);
  return (
    doc.people().out('array').length +
    doc.places().out('array').length +
    doc.organizations().out('array').length
  );
};

const summarise = (samples: number[]) => {
  const total = samples.reduce((sum, value) => sum + value, 0);
  const mean = total / Math.max(1, samples.length);
  return {
    medianMs: round(median(samples), 3),
    p95Ms: round(percentile(samples, 95), 3),
    meanMs: round(mean, 3),
    articlesPerSecond: round(1000 / mean, 1),
  };
};

/** Wall time of a fresh node child, in ms. */
const timeChild = (args: string[]): number => {
  const started = now();
  const child = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return now() - started;
};

/** Import time reported by a fresh child that imports `url`. */
const importInChild = (url: string, tsx: boolean): number => {
  const script = `const t=performance.now();await import(${JSON.stringify(url)});console.log(performance.now()-t)`;
  const args = [...(tsx ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script];
  const child = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return Number(child.stdout.trim().split('\n').at(-1));
};

const measureModuleLoad = async (): Promise<CoreBenchResult['moduleLoad']> => {
  const dir = mkdtempSync(join(tmpdir(), 'core-bench-'));
  const empty = join(dir, 'empty.mjs');
  const withCore = join(dir, 'core.mjs');
  writeFileSync(empty, '');
  writeFileSync(withCore, `await import(${JSON.stringify(pathToFileURL(CORE_ENTRY).href)});\n`);
  const bundle = join(dir, 'core-bundle.mjs');
  const { build } = await import('esbuild');
  await build({
    entryPoints: [CORE_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'error',
  });
  // Warm the tsx transform cache and the file system cache once, then alternate the measured runs.
  timeChild(['--import', 'tsx', withCore]);
  const emptyRuns: number[] = [];
  const coreRuns: number[] = [];
  const bundleRuns: number[] = [];
  const compromiseRuns: number[] = [];
  const zodRuns: number[] = [];
  for (let i = 0; i < 7; i++) {
    emptyRuns.push(timeChild(['--import', 'tsx', empty]));
    coreRuns.push(timeChild(['--import', 'tsx', withCore]));
    bundleRuns.push(importInChild(pathToFileURL(bundle).href, false));
    compromiseRuns.push(importInChild('compromise', true));
    zodRuns.push(importInChild('zod', true));
  }
  return {
    tsxMs: round(median(coreRuns) - median(emptyRuns), 1),
    bundleMs: round(median(bundleRuns), 1),
    compromiseTsxMs: round(median(compromiseRuns), 1),
    zodTsxMs: round(median(zodRuns), 1),
    targetMs: 250,
  };
};

/** Peak RSS of a child that only runs our core over the same files. */
const oursOnlyRss = (files: string[]): number => {
  const script = `
    const { readFileSync } = await import('node:fs');
    const { normaliseArticle } = await import(${JSON.stringify(pathToFileURL(CORE_ENTRY).href)});
    for (const file of ${JSON.stringify(files)}) normaliseArticle(readFileSync(file), file);
    console.log(process.resourceUsage().maxRSS);`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return round(Number(child.stdout.trim()) / 1024, 1);
};

export async function benchCore(opts: {
  corpusDir: string | null;
  seedsDir: string;
}): Promise<CoreBenchResult> {
  const corpusDir = opts.corpusDir && existsSync(opts.corpusDir) ? resolve(opts.corpusDir) : null;
  const files = [...(corpusDir ? listTexts(corpusDir) : []), ...listTexts(resolve(opts.seedsDir))];
  const inputs = files.map((file) => {
    const bytes = readFileSync(file);
    return { file, bytes, text: bytes.toString('utf8') };
  });

  for (const input of inputs.slice(0, 60)) {
    normaliseArticle(input.bytes, input.file);
    compromiseAlone(input.text);
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  inputs.forEach((input, index) => {
    const runOurs = () => {
      const started = now();
      normaliseArticle(input.bytes, input.file);
      ours.push(now() - started);
    };
    const runTheirs = () => {
      const started = now();
      compromiseAlone(input.text);
      theirs.push(now() - started);
    };
    if (index % 2 === 0) {
      runOurs();
      runTheirs();
    } else {
      runTheirs();
      runOurs();
    }
  });
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

  return {
    articles: inputs.length,
    corpusDir,
    ours: summarise(ours),
    compromise: summarise(theirs),
    ratio: round(sum(ours) / sum(theirs), 3),
    moduleLoad: await measureModuleLoad(),
    peakRssMb: {
      oursOnlyChild: oursOnlyRss(files),
      benchProcess: round(process.resourceUsage().maxRSS / 1024, 1),
    },
    quality: entityQuality(REPO_ROOT, 'tuned'),
    qualityHeldOut: entityQuality(REPO_ROOT, 'held-out'),
  };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  const corpusDir = process.argv[2] ?? join(REPO_ROOT, '..', 'shared', 'corpus', 'bbc');
  if (!existsSync(corpusDir) || !statSync(corpusDir).isDirectory()) {
    process.stderr.write(`corpus folder ${corpusDir} not found; timing the seeds only\n`);
  }
  const result = await benchCore({ corpusDir, seedsDir: join(REPO_ROOT, 'seeds') });
  const q = result.quality;
  const h = result.qualityHeldOut;
  const lines = [
    `articles: ${result.articles} (${result.corpusDir ?? 'seeds only'})`,
    `ours:       median ${result.ours.medianMs} ms, p95 ${result.ours.p95Ms} ms, ${result.ours.articlesPerSecond} articles/s on one core`,
    `compromise: median ${result.compromise.medianMs} ms, p95 ${result.compromise.p95Ms} ms, ${result.compromise.articlesPerSecond} articles/s`,
    `ratio ours/compromise (total time, same run): ${result.ratio} (target <= 1.0)`,
    `module load: ${result.moduleLoad.tsxMs} ms via tsx (zod alone ${result.moduleLoad.zodTsxMs} ms), ${result.moduleLoad.bundleMs} ms bundled (target < ${result.moduleLoad.targetMs}); compromise alone ${result.moduleLoad.compromiseTsxMs} ms`,
    `peak RSS: ${result.peakRssMb.oursOnlyChild} MB (core only), ${result.peakRssMb.benchProcess} MB (bench process with compromise)`,
    `entities F1 on ${q.articles} annotated articles: ours ${q.ours.all.f1} (P ${q.ours.all.precision} R ${q.ours.all.recall}), compromise ${q.compromise.all.f1} (P ${q.compromise.all.precision} R ${q.compromise.all.recall}; raw ${q.compromiseRaw.all.f1})`,
    `  people ${q.ours.people.f1} vs ${q.compromise.people.f1}; places ${q.ours.places.f1} vs ${q.compromise.places.f1}; organisations ${q.ours.organizations.f1} vs ${q.compromise.organizations.f1}`,
    `held-out entities F1 on ${h.articles} articles: ours ${h.ours.all.f1} (P ${h.ours.all.precision} R ${h.ours.all.recall}), compromise ${h.compromise.all.f1} (raw ${h.compromiseRaw.all.f1})`,
    `quotes: ${q.quotes.rightSpeaker}/${q.quotes.annotated} (tuned) and ${h.quotes.rightSpeaker}/${h.quotes.annotated} (held-out) annotated quotes with the right speaker`,
  ];
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(result)}\n`);
}
