import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { collectFiles } from '../../infra/local/files';
import { uploadFiles } from '../../infra/local/upload-files';
import { failureHint, resolveUploadTarget } from '../../infra/local/upload-target';

/**
 * `npm run upload --endpoint` against an S3 that is not the local stack: a stand-in endpoint on loopback that,
 * like real S3 or moto with credential checks on, accepts one key pair and refuses every other with
 * InvalidAccessKeyId.
 */
const KEY_ID = 'AKIDSTANDINEXAMPLE';
let server: Server;
let endpoint: string;
const puts: { key: string; credential: string }[] = [];
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const credential = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (credential !== KEY_ID) {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message></Error>',
        );
        return;
      }
      puts.push({ key: decodeURIComponent(new URL(req.url ?? '/', endpoint).pathname), credential });
      res.writeHead(200, { etag: '"d41d8cd98f00b204e9800998ecf8427e"' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'upload-target-'));
  writeFileSync(join(dir, 'a.txt'), 'alpha');
  // 240 bytes: over s3rver's 233-byte segment limit, well within S3's 1,024-byte keys.
  writeFileSync(join(dir, `${'x'.repeat(236)}.txt`), 'long name');
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
  puts.length = 0;
});

const upload = async (target: ReturnType<typeof resolveUploadTarget>) => {
  const result = await uploadFiles({
    client: target.client,
    bucket: target.bucket,
    files: collectFiles([dir]),
    localLimits: target.local,
  });
  target.client.destroy();
  return result;
};

describe('upload target', () => {
  it("uses the caller's credentials and S3's key limit on an endpoint that is not the local stack", async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', KEY_ID);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'stand-in-secret');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    const target = resolveUploadTarget({ endpoint, bucket: 'elsewhere', running: null });
    expect(target.local).toBe(false);
    const result = await upload(target);
    expect(result.failed).toEqual([]);
    expect(puts.map((p) => p.key).sort()).toEqual(['/elsewhere/a.txt', `/elsewhere/${'x'.repeat(236)}.txt`]);
  });

  it("refuses a key over S3's 1,024 bytes up front, on any endpoint", async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', KEY_ID);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'stand-in-secret');
    const target = resolveUploadTarget({ endpoint, bucket: 'elsewhere', running: null });
    const result = await uploadFiles({
      client: target.client,
      bucket: target.bucket,
      files: collectFiles([join(dir, 'a.txt')]),
      prefix: 'p'.repeat(1019),
      localLimits: target.local,
    });
    target.client.destroy();
    expect(result.failed).toEqual([
      { key: `${'p'.repeat(1019)}/a.txt`, error: expect.stringMatching(/1024 bytes/) },
    ]);
    expect(puts).toEqual([]);
  });

  it('says the credentials were refused, not that the local stack is down', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDSOMEONEELSE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'other-secret');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    const target = resolveUploadTarget({ endpoint, bucket: 'elsewhere', running: null });
    const result = await upload(target);
    expect(result.uploaded).toBe(0);
    const hint = failureHint(target, result);
    expect(hint).toMatch(/credentials/i);
    expect(hint).not.toMatch(/npm start/);
  });

  it('keeps the local stack its own credentials and segment limit', () => {
    const running = {
      pid: 1,
      apiUrl: 'http://127.0.0.1:3000',
      s3Endpoint: 'http://127.0.0.1:4568',
      bucket: 'b',
    };
    const viaStack = resolveUploadTarget({ running });
    expect(viaStack).toMatchObject({ local: true, endpoint: running.s3Endpoint, bucket: 'b' });
    const byEndpoint = resolveUploadTarget({ endpoint: running.s3Endpoint, running });
    expect(byEndpoint.local).toBe(true);
    const deployed = resolveUploadTarget({ bucket: 'real-bucket', running });
    expect(deployed).toMatchObject({ local: false, endpoint: undefined, bucket: 'real-bucket' });
    for (const t of [viaStack, byEndpoint, deployed]) t.client.destroy();
  });

  it('suggests starting the local stack only when the local stack did not answer', () => {
    const target = resolveUploadTarget({ running: null });
    const refused = { uploaded: 0, failed: [{ key: 'a.txt', error: 'connect ECONNREFUSED 127.0.0.1:4568' }] };
    expect(failureHint(target, refused)).toMatch(/npm start/);
    target.client.destroy();
  });
});
