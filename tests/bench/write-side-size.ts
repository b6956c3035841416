import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Section } from './report';

/**
 * The store's write side in lines (issue 21's "size" target): before the rewrite, at commit BEFORE, the writer's
 * modules plus the ingest and catalogue functions; now, the record/derive/count modules plus the ingest, derive and
 * count functions. Lines as `wc -l` counts them (newlines), of every .ts file named or under a folder named.
 */
export const BEFORE = '20dbfba';
export const BEFORE_FILES = [
  ...[
    'article-writer',
    'write-plan',
    'write-actions',
    'write-state',
    'write-entries',
    'write-terms',
    'key-lists',
    'reprocess-plan',
    'catalogue-deltas',
    'catalogue-writer',
    'catalogue-janitor',
    'article-body',
    'body-keys',
    'upload-outcome',
    'article-item',
    'errors',
  ].map((name) => `functions/store/${name}.ts`),
  'functions/ingest',
  'functions/catalogue',
];
export const AFTER_FILES = [
  ...[
    'record',
    'record-writer',
    'sequencer',
    'derive',
    'derive-writer',
    'batch-write',
    'key-lists',
    'count-deltas',
    'count-writer',
    'terms',
    'article-body',
    'body-keys',
    'upload-outcome',
    'article-item',
    'errors',
  ].map((name) => `functions/store/${name}.ts`),
  'functions/ingest',
  'functions/derive',
  'functions/count',
];

const lines = (text: string) => (text.match(/\n/g) ?? []).length;

/** Lines of the paths (files, or folders' .ts files) at a commit. */
export const linesAtCommit = (repo: string, commit: string, paths: readonly string[]) => {
  const files = execFileSync('git', ['-C', repo, 'ls-tree', '-r', '--name-only', commit, '--', ...paths], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f.endsWith('.ts'));
  const total = files.reduce(
    (sum, f) =>
      sum +
      lines(
        execFileSync('git', ['-C', repo, 'show', `${commit}:${f}`], { encoding: 'utf8', maxBuffer: 1 << 26 }),
      ),
    0,
  );
  return { files: files.length, lines: total };
};

const tsFilesUnder = (path: string): string[] =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .sort()
        .flatMap((name) => tsFilesUnder(join(path, name)))
    : path.endsWith('.ts')
      ? [path]
      : [];

/** Lines of the paths in the working tree (a path that does not exist counts nothing). */
export const linesInTree = (repo: string, paths: readonly string[]) => {
  const files = paths.flatMap((p) => (existsSync(join(repo, p)) ? tsFilesUnder(join(repo, p)) : []));
  return { files: files.length, lines: files.reduce((sum, f) => sum + lines(readFileSync(f, 'utf8')), 0) };
};

export const benchWriteSideSize = (repo: string) => ({
  before: { commit: BEFORE, ...linesAtCommit(repo, BEFORE, BEFORE_FILES) },
  after: linesInTree(repo, AFTER_FILES),
});

export const writeSideSizeSection = (r: ReturnType<typeof benchWriteSideSize>): Section => ({
  title: "The store's write side in lines (wc -l)",
  note: `before: ${BEFORE} functions/store/{article-writer,write-*,key-lists,reprocess-plan,catalogue-*,article-body,body-keys,upload-outcome,article-item,errors}.ts + functions/ingest + functions/catalogue; now: functions/store/{record,record-writer,sequencer,derive,derive-writer,batch-write,key-lists,count-*,terms,article-body,body-keys,upload-outcome,article-item,errors}.ts + functions/ingest + functions/derive + functions/count`,
  rows: [
    { figure: 'before', value: `${r.before.lines.toLocaleString('en-GB')} lines in ${r.before.files} files` },
    { figure: 'now', value: `${r.after.lines.toLocaleString('en-GB')} lines in ${r.after.files} files` },
    {
      figure: 'now / before',
      value: `${Math.round((100 * r.after.lines) / Math.max(1, r.before.lines))}%`,
      target: 'smaller',
      pass: r.after.lines < r.before.lines,
    },
  ],
});
