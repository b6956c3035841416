import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clearDataDir,
  dataPaths,
  findRunningStack,
  loadCursorSecret,
  writeRunningStack,
} from '../../infra/local/data-dir';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'data-dir-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('local data folder', () => {
  it('keeps one cursor secret per folder, long enough for the API config', () => {
    const dir = tempDir();
    const secret = loadCursorSecret(dir);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(loadCursorSecret(dir)).toBe(secret);
    expect(loadCursorSecret(tempDir())).not.toBe(secret);
  });

  it('--fresh removes only what the stack keeps there', () => {
    const dir = tempDir();
    const paths = dataPaths(dir);
    mkdirSync(paths.dynamodb);
    mkdirSync(paths.s3);
    writeFileSync(paths.queue, '{"messages":[]}');
    writeFileSync(paths.streamCheckpoints, '{}');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    clearDataDir(dir);
    expect(existsSync(paths.dynamodb) || existsSync(paths.s3) || existsSync(paths.queue)).toBe(false);
    expect(existsSync(paths.streamCheckpoints)).toBe(false);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
  });

  it('finds a running stack only while its process lives', () => {
    const dir = tempDir();
    expect(findRunningStack(dir)).toBeNull();
    const running = {
      pid: process.pid,
      apiUrl: 'http://127.0.0.1:1',
      s3Endpoint: 'http://127.0.0.1:2',
      bucket: 'b',
    };
    writeRunningStack(dir, running);
    expect(findRunningStack(dir)).toEqual(running);
    writeRunningStack(dir, { ...running, pid: 2 ** 22 + 12345 });
    expect(findRunningStack(dir)).toBeNull();
  });
});
