import { execSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { BODY_READER_FILE } from '../../functions/api/body-reader-file';
import { API_BUNDLE_ALIASES, bodyReaderBuildCommand } from '../../infra/constructs/lookup-api';
import { bundleFunction } from '../bench/cold-start';
import { httpEvent } from './fixtures';

/**
 * The API as Lambda runs it: the handler bundled with the stack's settings and aliases (env-only credentials, no
 * event-stream codec, no X-Ray SDK), calling a stand-in DynamoDB endpoint over HTTP and sending its subsegments
 * to a stand-in X-Ray daemon. The unit tests run the sources; this checks the aliased SDK still signs, sends and
 * parses real calls.
 */
const ROOT = '1-5759e988-bd862e3fe1be46a994272793';

let dir: string;
/** The body reader's bundle, built by the stack's command and put beside index.mjs only when a test needs it. */
let aside: string;
let server: Server;
let extension: Server;
const extensionCalls: { url: string; token: unknown }[] = [];
let daemon: Socket;
const calls: { target: string | undefined; headers: IncomingHttpHeaders; body: string; url: string }[] = [];
/** An article whose body is stored in the body bucket: the item holds only its key. */
const BIG = { id: 'fedcba9876543210', headline: 'Long read' };
const BODY_KEY = `bodies/${BIG.id}/00000000000000000000000000000001.json.gz`;
const BIG_ITEM = {
  pk: { S: `ART#${BIG.id}` },
  sk: { S: 'RECORD' },
  key: { S: 'long.txt' },
  status: { S: 'ingested' },
  sequencer: { S: '0062E9A1B2'.padEnd(32, '0') },
  rev: { S: 'r1' },
  at: { S: '2026-11-26T06:00:00.000Z' },
  articleId: { S: BIG.id },
  contentHash: { S: 'abc' },
  parserVersion: { S: '1' },
  bodyKey: { S: BODY_KEY },
};
const datagrams: string[] = [];
let handler: (event: unknown) => Promise<unknown>;
let source: string;

const ResponseSchema = z.object({ statusCode: z.number(), body: z.string() });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'api-bundle-'));
  aside = mkdtempSync(join(tmpdir(), 'api-body-reader-'));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const header = req.headers['x-amz-target'];
      const target = typeof header === 'string' ? header : undefined;
      calls.push({ target, headers: req.headers, body, url: req.url ?? '' });
      // S3 (path-style on an IP endpoint): the one body object there is.
      if (!target) {
        const found = req.url?.split('?')[0] === `/article-bodies/${BODY_KEY}`;
        res.writeHead(found ? 200 : 404, { 'content-type': 'application/gzip' });
        res.end(found ? gzipSync(JSON.stringify(BIG)) : '');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bundle-req' });
      const stored = body.includes(BIG.id) ? { Item: BIG_ITEM } : {};
      res.end(JSON.stringify(target.endsWith('.Query') ? { Items: [], Count: 0 } : stored));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The Parameters and Secrets extension's local endpoint, as Lambda runs it beside the function.
  extension = createServer((req, res) => {
    extensionCalls.push({ url: req.url ?? '', token: req.headers['x-aws-parameters-secrets-token'] });
    const stage = new URL(req.url ?? '/', 'http://localhost').searchParams.get('versionStage');
    if (stage !== 'AWSCURRENT') res.writeHead(400).end('ResourceNotFoundException: no such version');
    else res.writeHead(200).end(JSON.stringify({ SecretString: 'b'.repeat(64) }));
  });
  await new Promise<void>((resolve) => extension.listen(0, 'localhost', resolve));
  daemon = createSocket('udp4');
  daemon.on('message', (msg) => datagrams.push(msg.toString()));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));

  const outfile = join(dir, 'index.mjs');
  await bundleFunction('functions/api/handler.ts', outfile, API_BUNDLE_ALIASES);
  source = readFileSync(outfile, 'utf8');
  execSync(bodyReaderBuildCommand(aside));
  const env = {
    TABLE_NAME: 'articles',
    BODY_BUCKET: 'article-bodies',
    CURSOR_SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cursor',
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String((extension.address() as AddressInfo).port),
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDBUNDLETEST',
    AWS_SECRET_ACCESS_KEY: 'bundle-secret',
    AWS_SESSION_TOKEN: 'bundle-token',
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_LAMBDA_FUNCTION_NAME: 'api',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
    _X_AMZN_TRACE_ID: `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const loaded = z
    .object({ handler: z.custom<typeof handler>((v) => typeof v === 'function') })
    .parse(await import(pathToFileURL(outfile).href));
  handler = loaded.handler;
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  daemon?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (extension ? extension.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (aside) rmSync(aside, { recursive: true, force: true });
});

describe('the bundled API Lambda', () => {
  it('carries the stand-ins, not the credential chain, the event-stream codec or the X-Ray SDK', () => {
    // The SDK's own environment provider, the only credential source in the bundle.
    expect(source).toContain('Unable to find environment variable credentials');
    expect(source).toContain('Event streams are not bundled into the API');
    expect(source).not.toMatch(/from\s*"node:process"/);
    for (const absent of [
      'AssumeRoleWithWebIdentity',
      'credential_process',
      ':message-type',
      'AWS_XRAY_CONTEXT_MISSING',
    ])
      expect(source, absent).not.toContain(absent);
  });

  it('signs with the environment credentials and reads with GetItem', async () => {
    const res = ResponseSchema.parse(await handler(httpEvent('/articles/0123456789abcdef')));
    expect(res.statusCode).toBe(404);
    const call = calls.at(-1);
    expect(call?.target).toBe('DynamoDB_20120810.GetItem');
    expect(call?.headers.authorization).toContain('Credential=AKIDBUNDLETEST/');
    expect(call?.headers['x-amz-security-token']).toBe('bundle-token');
    expect(JSON.parse(call?.body ?? '{}')).toMatchObject({ TableName: 'articles' });
  });

  it('leaves the S3 client out of index.mjs: its own file, imported only for a body in the body bucket', () => {
    expect(source).toContain(BODY_READER_FILE);
    for (const absent of ['GetObject', 'AmazonS3', 's3-express'])
      expect(source, absent).not.toContain(absent);
    const reader = readFileSync(join(aside, BODY_READER_FILE), 'utf8');
    for (const present of ['GetObject', 'Unable to find environment variable credentials'])
      expect(reader, present).toContain(present);
    expect(reader).not.toContain('AssumeRoleWithWebIdentity');
  });

  it('answers every other route with no body reader beside it: nothing loads the file until a body is stored', async () => {
    expect(existsSync(join(dir, BODY_READER_FILE))).toBe(false);
    for (const path of ['/health', '/articles?limit=5', '/articles/0123456789abcdef', '/openapi.json'])
      expect(ResponseSchema.parse(await handler(httpEvent(path))).statusCode, path).toBeLessThan(500);
    // The one request that needs it fails while it is missing, and the next one loads it (see below).
    expect(ResponseSchema.parse(await handler(httpEvent(`/articles/${BIG.id}`))).statusCode).toBe(500);
  });

  it('reads a body stored in the body bucket with the S3 client, signed with the same credentials', async () => {
    for (const file of [BODY_READER_FILE, `${BODY_READER_FILE}.map`])
      copyFileSync(join(aside, file), join(dir, file));
    const res = ResponseSchema.parse(await handler(httpEvent(`/articles/${BIG.id}`)));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual(BIG);
    const get = calls.find((c) => c.url.startsWith(`/article-bodies/${BODY_KEY}`));
    expect(get?.headers.authorization).toContain('Credential=AKIDBUNDLETEST/');
  });

  it('reads the cursor key through the extension on the first request with a cursor, and not before', async () => {
    ResponseSchema.parse(await handler(httpEvent('/health')));
    expect(extensionCalls).toEqual([]);
    const forged = `${Buffer.from('{"v":1,"q":"x","p":"y"}').toString('base64url')}.${'A'.repeat(43)}`;
    const res = ResponseSchema.parse(await handler(httpEvent(`/articles?cursor=${forged}`)));
    expect(res.statusCode).toBe(400);
    expect(
      extensionCalls.map((c) => new URL(c.url, 'http://localhost').searchParams.get('versionStage')),
    ).toEqual(expect.arrayContaining(['AWSCURRENT', 'AWSPREVIOUS', 'AWSPENDING']));
    expect(extensionCalls[0]?.token).toBe('bundle-token');
  });

  it('pages with Query', async () => {
    const res = ResponseSchema.parse(await handler(httpEvent('/articles?limit=5')));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ items: [], nextCursor: null });
    expect(calls.at(-1)?.target).toBe('DynamoDB_20120810.Query');
  });

  it('answers API routes without the page: no ui/ folder beside this bundle, and / is a plain 404', async () => {
    // The page's server code is inlined but initialised only on a page path; its files are never read here.
    expect(source).not.toContain('SwaggerUIBundle');
    const res = ResponseSchema.parse(await handler(httpEvent('/')));
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('sends a subsegment per DynamoDB call to the X-Ray daemon', async () => {
    const all = () => datagrams.map((d) => JSON.parse(d.split('\n')[1] ?? '{}'));
    await vi.waitFor(() =>
      expect(all().map((d) => d.aws?.operation)).toEqual(expect.arrayContaining(['GetItem', 'Query'])),
    );
    // The S3 read of a stored body is traced too, under its own name.
    expect(all().find((d) => d.aws?.operation === 'GetObject')).toMatchObject({ name: 'S3', trace_id: ROOT });
    const documents = all().filter((d) => d.name === 'DynamoDB');
    for (const doc of documents) {
      expect(doc).toMatchObject({ name: 'DynamoDB', trace_id: ROOT, parent_id: '53995c3f42cd8ad8' });
      expect(doc.aws).toMatchObject({
        table_name: 'articles',
        request_id: 'bundle-req',
        region: 'eu-west-1',
      });
    }
    // Every call names its own subsegment as parent (datagrams arrive asynchronously, so wait for the last ones).
    const parents = calls.map((c) => /Parent=([0-9a-f]{16})/.exec(String(c.headers['x-amzn-trace-id']))?.[1]);
    await vi.waitFor(() => expect(all().map((d) => d.id)).toEqual(expect.arrayContaining(parents)));
  });
});
