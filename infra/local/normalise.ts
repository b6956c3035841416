/**
 * `npm run --silent normalise -- <file>...`: shows what the pipeline will make of files before they are
 * uploaded. One JSON line per file, in argument order: the article record or the rejection, with `file` added.
 * The object key is the file's base name, as it would be for an upload of that file to the bucket root.
 * A file that cannot be read gets a line with `error` and makes the exit code 1, after every file is done.
 * A local tool beside the others (the core imports nothing from here), on the shared command module.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_ARTICLE_BYTES } from '../../functions/core/article';
import { normaliseArticle } from '../../functions/core/normalise';
import { runCommand } from './cli';

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const normaliseFile = async (file: string): Promise<{ line: object; ok: boolean }> => {
  const key = basename(file);
  try {
    const info = await stat(file);
    if (!info.isFile()) return { line: { file, error: 'not a regular file' }, ok: false };
    if (info.size > MAX_ARTICLE_BYTES) {
      // Refused from its size alone, as the ingest does: the bytes are never read.
      const detail = `${info.size} bytes is over the ${MAX_ARTICLE_BYTES}-byte limit`;
      return { line: { file, rejected: true, key, reason: 'too-large', detail }, ok: true };
    }
    const handle = await open(file, 'r');
    try {
      const bytes = await handle.readFile();
      return { line: { file, ...normaliseArticle(bytes, key) }, ok: true };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { line: { file, error: `cannot read the file: ${describe(error)}` }, ok: false };
  }
};

// A reader that stops early (`| head`) closes the pipe: stop as quietly as head expects, not with an EPIPE trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

runCommand(
  {
    name: 'npm run normalise',
    args: { placeholder: '<file>...', min: 1 },
    description:
      'Shows what the pipeline will make of files before they are uploaded: one JSON line per file, in order, the\n' +
      'article record or the rejection (the key is the base name). Exit code 1 if a file could not be read.',
    options: {},
    examples: ['npm run --silent normalise -- seeds/*.txt | jq .headline'],
  },
  async ({ args }) => {
    let failed = false;
    for (const file of args) {
      const { line, ok } = await normaliseFile(file);
      if (!ok) failed = true;
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
    return failed ? 1 : 0;
  },
);
