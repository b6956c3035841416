import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/free-port';

const REPO = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'java-missing-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm start without Java', () => {
  it('says in one line what to install and exits 1, starting nothing', async () => {
    const [port, s3Port, dynamoDbPort] = [await freePort(), await freePort(), await freePort()];
    // A PATH with no java on it; node itself is started by its absolute path.
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'infra/local/main.ts', '--no-seeds', '--data-dir', join(scratch, 'data')].concat([
        '--port',
        String(port),
        '--s3-port',
        String(s3Port),
        '--dynamodb-port',
        String(dynamoDbPort),
      ]),
      {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, PATH: join(scratch, 'empty-bin') },
      },
    );
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Java 17 or newer/);
    expect(lines[0]).not.toMatch(/\bat \S+:\d+/);
  });
});
