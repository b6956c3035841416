import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import * as z from 'zod';
import { median } from './stats';

/**
 * What the cursor key costs the API, in a fresh process running the bundle: the first request that needs no cursor
 * (it must not read the key), the first request with a cursor (it reads the key through the Parameters and Secrets
 * extension, played here by a local HTTP server answering as the extension does, with no network delay), and a
 * second cursor request (the key kept in memory). The cursor is well formed but signed with another key, so the
 * request reads the key, verifies, and answers 400 without touching DynamoDB.
 */
export interface CursorKeyFigures {
  /** First request without a cursor (GET /health), after import. */
  plainFirstMs: number;
  /** Whether that request asked the extension for anything (it must not). */
  plainReadsKey: boolean;
  cursorFirstMs: number;
  cursorAgainMs: number;
}

const RunSchema = z.object({ plain: z.number(), first: z.number(), again: z.number() });

const loaderSource = (bundle: string) => `
const event = (path, query = '') => ({
  version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: query,
  queryStringParameters: query ? Object.fromEntries(new URLSearchParams(query)) : undefined,
  headers: {}, isBase64Encoded: false,
  requestContext: { http: { method: 'GET', path, sourceIp: '127.0.0.1' }, requestId: 'bench', routeKey: '$default', stage: '$default' },
});
const { handler } = await import(${JSON.stringify(bundle)});
const forged = Buffer.from('{"v":1,"q":"x","p":"y"}').toString('base64url') + '.' + 'A'.repeat(43);
let t = performance.now();
await handler(event('/health'));
const plain = performance.now() - t;
// With 'plain' the process stops here, so the parent sees whether a request without a cursor read the key.
if (process.argv[2] === 'plain') process.exit(0);
t = performance.now();
await handler(event('/articles', 'cursor=' + forged));
const first = performance.now() - t;
t = performance.now();
await handler(event('/articles', 'cursor=' + forged));
const again = performance.now() - t;
process.stdout.write('\\n' + JSON.stringify({ plain, first, again }));
`;

export const benchCursorKeyFirstUse = async (
  bundle: string,
  loader: string,
  env: NodeJS.ProcessEnv,
  runs: number,
): Promise<CursorKeyFigures> => {
  let reads: string[] = [];
  const extension = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    reads.push(url.searchParams.get('versionStage') ?? '?');
    if (url.searchParams.get('versionStage') !== 'AWSCURRENT')
      return void res.writeHead(400).end('ResourceNotFoundException');
    res.end(JSON.stringify({ SecretString: 'k'.repeat(64) }));
  });
  await new Promise<void>((resolve) => extension.listen(0, 'localhost', resolve));
  const port = (extension.address() as AddressInfo).port;
  writeFileSync(loader, loaderSource(bundle));
  try {
    const results: z.infer<typeof RunSchema>[] = [];
    let plainReadsKey = false;
    const run = (mode: 'plain' | 'cursor') =>
      promisify(execFile)(process.execPath, [loader, mode], {
        env: { ...env, PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port), AWS_SESSION_TOKEN: 'bench' },
      });
    for (let i = 0; i < runs; i++) {
      reads = [];
      await run('plain');
      plainReadsKey ||= reads.length > 0;
      // The handler's metrics (EMF lines) share stdout; the figures are the last line.
      const lines = (await run('cursor')).stdout.trim().split('\n');
      results.push(RunSchema.parse(JSON.parse(lines.at(-1) ?? '')));
    }
    return {
      plainFirstMs: median(results.map((r) => r.plain)),
      plainReadsKey,
      cursorFirstMs: median(results.map((r) => r.first)),
      cursorAgainMs: median(results.map((r) => r.again)),
    };
  } finally {
    await new Promise<void>((resolve) => extension.close(() => resolve()));
  }
};
