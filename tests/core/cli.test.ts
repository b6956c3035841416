import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FIXTURES, REPO_ROOT, SEED } from './helpers';

const LineSchema = z.object({ file: z.string() }).passthrough();

const run = (files: string[]) => {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'infra/local/normalise.ts'), ...files],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
  const lines = result.stdout
    .trim()
    .split('\n')
    .map((line) => LineSchema.parse(JSON.parse(line)));
  return { status: result.status, lines };
};

describe('npm run normalise', () => {
  it('prints one JSON line per file, in order, and exits non-zero after an unreadable file', () => {
    const missing = join(FIXTURES, 'no-such-file.txt');
    const short = join(FIXTURES, 'encodings');
    const { status, lines } = run([SEED, missing, join(FIXTURES, 'headline-first.txt'), short]);
    expect(lines.map((line) => line.file)).toEqual([
      SEED,
      missing,
      join(FIXTURES, 'headline-first.txt'),
      short,
    ]);
    expect(lines[0]).toMatchObject({ publishedDate: '2024-11-13', headlineSource: 'lede' });
    expect(lines[1]).toMatchObject({ error: expect.stringContaining('cannot read the file') });
    expect(lines[2]).toMatchObject({ headline: 'Harbour town wins grant for new ferry terminal' });
    expect(lines[3]).toMatchObject({ error: 'not a regular file' });
    expect(status).toBe(1);
  });

  it('prints rejections as lines and exits zero when every file was read', () => {
    const { status, lines } = run([join(FIXTURES, 'annotated', '01-election.json')]);
    expect(lines[0]).toMatchObject({ rejected: true, reason: 'unsupported-format' });
    expect(status).toBe(0);
  });

  it('stops quietly when the reader goes away (`| head -c 100`), with no EPIPE trace', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'infra/local/normalise.ts'), ...Array(40).fill(SEED)],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    // Like head: take the first bytes, then close the read end of the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
